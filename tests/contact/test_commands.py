"""send_pending_notifications never sends twice; purge_inquiries keeps to the retention period."""

import io
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from contact.emails import CLAIM_SECONDS, SENT, SKIPPED, claim, send_notification
from contact.models import Inquiry
from tests.contact.factories import InquiryFactory


def run(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


# send_pending_notifications ----------------------------------------------------------------


@pytest.mark.django_db
def test_pending_emails_are_sent_and_sent_ones_are_left_alone():
    pending = InquiryFactory.create_batch(3)
    InquiryFactory(notification_sent_at=timezone.now(), notification_attempts=1)
    assert "Sent 3 email(s); 0 still unsent." in run("send_pending_notifications")
    assert len(mail.outbox) == 3
    assert sorted(m.subject.split()[5].rstrip(":") for m in mail.outbox) == sorted(
        i.reference for i in pending
    )
    assert not Inquiry.objects.notification_pending().exists()
    assert "Sent 0 email(s)" in run("send_pending_notifications")
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_a_claim_is_taken_by_one_sender_only():
    inquiry = InquiryFactory()
    assert claim(inquiry.pk) is True
    assert claim(inquiry.pk) is False
    assert claim(inquiry.pk, force=True) is False  # not even "resend" while someone holds it


@pytest.mark.django_db
def test_a_run_that_meets_an_email_being_sent_does_not_send_it_again():
    """Two senders interleaved: A claims, B runs in full while A holds the claim, A sends."""
    inquiry = InquiryFactory()
    assert claim(inquiry.pk)  # sender A (say, the request's on_commit hook) is mid-send
    assert "Sent 0 email(s); 0 still unsent." in run("send_pending_notifications")  # sender B
    assert mail.outbox == []
    Inquiry.objects.filter(pk=inquiry.pk).update(notification_claimed_until=None)
    assert send_notification(inquiry) == SENT  # sender A's turn again in this model
    assert send_notification(inquiry) == SKIPPED
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_claim_left_by_a_crashed_sender_expires():
    inquiry = InquiryFactory(
        notification_claimed_until=timezone.now() - timedelta(seconds=1), notification_attempts=1
    )
    run("send_pending_notifications")
    inquiry.refresh_from_db()
    assert inquiry.notification_sent_at is not None and len(mail.outbox) == 1
    assert CLAIM_SECONDS >= 60  # longer than EMAIL_TIMEOUT, so a live send is never taken over


@pytest.mark.django_db
def test_resend_sends_again_on_purpose():
    inquiry = InquiryFactory(notification_sent_at=timezone.now(), notification_attempts=1)
    assert send_notification(inquiry) == SKIPPED
    assert send_notification(inquiry, force=True) == SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's shared in-memory test database locks tables across threads",
)
def test_two_runs_at_once_send_each_email_exactly_once(settings, smtp_server):
    InquiryFactory.create_batch(12)
    barrier = threading.Barrier(3)
    errors = []

    def cron():
        try:
            barrier.wait()
            call_command("send_pending_notifications", stdout=io.StringIO())
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=cron) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    subjects = [
        envelope.content.split(b"Subject: ")[1].split(b"\r\n")[0]
        for envelope in smtp_server.envelopes
    ]
    assert len(subjects) == 12 and len(set(subjects)) == 12
    assert not Inquiry.objects.notification_pending().exists()


# purge_inquiries ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_purge_deletes_old_closed_inquiries_and_their_history_and_says_how_many(settings):
    settings.CONTACT_RETENTION_DAYS = 30
    old = timezone.now() - timedelta(days=31)
    recent = timezone.now() - timedelta(days=29)
    old_closed = InquiryFactory.create_batch(2, status=Inquiry.Status.CLOSED)
    Inquiry.objects.filter(pk__in=[i.pk for i in old_closed]).update(created_at=old)
    old_open = InquiryFactory(status=Inquiry.Status.IN_PROGRESS)
    old_new = InquiryFactory()
    Inquiry.objects.filter(pk__in=[old_open.pk, old_new.pk]).update(created_at=old)
    recent_closed = InquiryFactory(status=Inquiry.Status.CLOSED)
    Inquiry.objects.filter(pk=recent_closed.pk).update(created_at=recent)

    assert "2 closed inquiry(ies) older than 30 days would be deleted" in run(
        "purge_inquiries", "--dry-run"
    )
    assert Inquiry.objects.count() == 5

    assert "Deleted 2 closed inquiry(ies) older than 30 days." in run("purge_inquiries")
    remaining = set(Inquiry.objects.values_list("pk", flat=True))
    assert remaining == {old_open.pk, old_new.pk, recent_closed.pk}
    purged_ids = [i.pk for i in old_closed]
    assert not Inquiry.history.filter(id__in=purged_ids).exists()
    assert Inquiry.history.filter(id=old_open.pk).exists()
    assert "Deleted 0" in run("purge_inquiries")
