"""submit_inquiry stores first, notifies after commit, and never stores one form twice."""

import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from conditions.models import Condition
from contact.models import Inquiry
from contact.services import submit_inquiry
from tests.factories import ConditionFactory


def inquiry_args(**overrides):
    args = {
        "submission_key": "key-1",
        "name": "Pat Example",
        "email": "pat@example.com",
        "phone": "+15745550123",
        "preferred_contact": Inquiry.PreferredContact.EMAIL,
        "reason": Inquiry.Reason.BILLING,
        "message": "A question about my bill.",
        "consent": True,
    }
    args.update(overrides)
    return args


@pytest.mark.django_db
def test_an_inquiry_is_stored_with_a_reference_and_status_new():
    condition = ConditionFactory()
    inquiry = submit_inquiry(**inquiry_args(condition=condition))
    stored = Inquiry.objects.get()
    assert stored == inquiry and stored.condition == condition
    assert stored.status == Inquiry.Status.NEW
    assert stored.reference.startswith("R-")
    assert stored.notification_sent_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes",
    [
        {"email": "", "phone": ""},
        {"consent": False},
        {"message": "x" * 2001},
        {"name": ""},
        {"email": "not-an-email"},
        {"reason": "nonsense"},
    ],
)
def test_invalid_data_is_refused_by_the_model_and_nothing_is_stored(changes):
    with pytest.raises(ValidationError):
        submit_inquiry(**inquiry_args(**changes))
    assert not Inquiry.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_condition_deleted_since_the_form_was_checked_is_refused_and_nothing_is_stored():
    condition = ConditionFactory()
    Condition.objects.filter(pk=condition.pk).delete()  # an editor, a moment earlier
    with pytest.raises(ValidationError, match="condition"):
        submit_inquiry(**inquiry_args(condition=condition))
    assert not Inquiry.objects.exists()


@pytest.mark.django_db
def test_the_same_submission_key_gives_back_the_same_inquiry_and_one_email(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = submit_inquiry(**inquiry_args())
        second = submit_inquiry(**inquiry_args(message="Changed my mind"))
    assert first.pk == second.pk and Inquiry.objects.count() == 1
    assert len(callbacks) == 1 and len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_front_desk_is_emailed_after_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        inquiry = submit_inquiry(**inquiry_args())
        assert mail.outbox == []  # not before the commit
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    inquiry.refresh_from_db()
    assert inquiry.notification_sent_at is not None
    assert inquiry.notification_attempts == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_email_goes_out_for_an_inquiry_that_was_rolled_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        submit_inquiry(**inquiry_args())
        raise RuntimeError("something later in the same transaction failed")
    assert not Inquiry.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_mail_failure_is_recorded_and_never_raised(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = submit_inquiry(**inquiry_args())
    inquiry.refresh_from_db()
    assert inquiry.notification_sent_at is None
    assert inquiry.notification_attempts == 1
    assert inquiry.notification_last_error.startswith("ConnectionRefusedError")
    assert inquiry.notification_claimed_until is None  # free for the retry command


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's shared in-memory test database locks tables across threads",
)
def test_the_same_form_posted_twice_at_once_stores_one_inquiry():
    barrier = threading.Barrier(4)
    results, errors = [], []

    def submit():
        try:
            barrier.wait()
            results.append(submit_inquiry(**inquiry_args()).pk)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 1
    assert Inquiry.objects.count() == 1
