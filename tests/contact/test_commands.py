"""send_pending_notifications queues again what is overdue, and only that; purge_inquiries keeps
to the retention period."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from contact.models import Inquiry, InquiryNote
from tests.contact.factories import InquiryFactory


def run(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


# send_pending_notifications ----------------------------------------------------------------


def ago(**kwargs):
    return timezone.now() - timedelta(**kwargs)


@pytest.mark.django_db
def test_only_overdue_emails_are_queued_again_and_the_run_fails_so_cron_reports_it(
    queued_tasks,
):
    never_queued = InquiryFactory()  # the first try was never queued
    retry_lost = InquiryFactory(notification_attempts=2, notification_next_attempt_at=ago(hours=1))
    InquiryFactory()  # just arrived: its first try is on its way
    InquiryFactory(notification_attempts=1, notification_next_attempt_at=ago(minutes=-5))
    InquiryFactory(notification_sent_at=ago(hours=2), notification_attempts=1)
    InquiryFactory(  # being sent right now
        notification_attempts=3,
        notification_next_attempt_at=ago(hours=1),
        notification_claimed_until=ago(minutes=-1),
    )
    Inquiry.objects.filter(pk=never_queued.pk).update(created_at=ago(minutes=11))

    with pytest.raises(CommandError, match="2 staff email.* overdue .* worker"):
        run("send_pending_notifications")
    assert sorted(task.args[0] for task in queued_tasks) == sorted([never_queued.pk, retry_lost.pk])
    # Due at once, and not overdue again for another grace period: the next run adds nothing.
    assert "5 staff email(s) waiting; 0 overdue queued again;" in run("send_pending_notifications")
    assert len(queued_tasks) == 2


@pytest.mark.django_db
def test_where_tasks_run_at_once_the_safety_net_sends_overdue_emails_itself():
    inquiry = InquiryFactory()
    Inquiry.objects.filter(pk=inquiry.pk).update(created_at=ago(minutes=30))
    with pytest.raises(CommandError):
        run("send_pending_notifications")
    assert len(mail.outbox) == 1 and inquiry.reference in mail.outbox[0].subject
    assert "0 staff email(s) waiting" in run("send_pending_notifications")
    assert len(mail.outbox) == 1


# purge_inquiries ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_purge_deletes_old_closed_inquiries_and_their_history_and_says_how_many(settings):
    settings.CONTACT_RETENTION_DAYS = 30
    old = timezone.now() - timedelta(days=31)
    recent = timezone.now() - timedelta(days=29)
    old_closed = InquiryFactory.create_batch(2, status=Inquiry.Status.CLOSED)
    Inquiry.objects.filter(pk__in=[i.pk for i in old_closed]).update(created_at=old)
    old_closed[0].notes.create(text="Called back.")  # the notes log goes with its inquiry
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
    assert not InquiryNote.objects.filter(inquiry_id__in=purged_ids).exists()
    assert Inquiry.history.filter(id=old_open.pk).exists()
    assert "Deleted 0" in run("purge_inquiries")
