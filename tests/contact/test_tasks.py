"""The staff email in the background: what one try does, and real worker processes
(`manage.py db_worker`) sending what patients' requests queued, exactly once, whatever the mail
server does (up, down, hung), with two workers at once, or with a worker killed mid-send; and
the task a killed worker leaves RUNNING, found, marked failed, shown, and its email sent."""

import email
import io
import time
from datetime import timedelta
from email.policy import default as default_policy

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from contact.emails import FAILED, SENT, SKIPPED
from contact.models import Inquiry
from contact.services import submit_inquiry
from contact.tasks import abandoned_tasks, queue_staff_email, send_staff_email
from tests.contact.conftest import PATIENT_WORKER, WORKER_RETRY_SECONDS, shared_database_url
from tests.contact.factories import InquiryFactory, form_post
from tests.contact.test_admin import email_panel

# The worker processes read what the test commits: no test transaction around these.
background = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def references_received(smtp_server):
    """The inquiry reference in the subject of every message the server accepted."""
    subjects = [
        email.message_from_bytes(envelope.content, policy=default_policy)["Subject"]
        for envelope in smtp_server.envelopes
    ]
    return sorted(subject.split("New inquiry ")[1].split(":")[0] for subject in subjects)


def nothing_ready():
    """No task waits in the queue (retries included: they wait until their time comes)."""
    return not DBTaskResult.objects.filter(status="READY").exists()


def all_sent():
    return not Inquiry.objects.notification_pending().exists()


def submit(number):
    return submit_inquiry(
        submission_key=f"background-{number}",
        name="Pat Example",
        email=f"patient{number}@example.com",
        preferred_contact=Inquiry.PreferredContact.EMAIL,
        reason=Inquiry.Reason.NEW_PATIENT,
        message="Please call me about an appointment.",
        consent=True,
    )


# One try (tasks recorded, not run) ------------------------------------------------------------


@pytest.mark.django_db
def test_a_try_queues_its_retry_then_sends_and_the_retry_finds_nothing_left(queued_tasks):
    inquiry = InquiryFactory()
    assert send_staff_email.call(inquiry.pk) == SENT
    inquiry.refresh_from_db()
    assert inquiry.notification_sent_at is not None and inquiry.notification_attempts == 1
    [retry] = queued_tasks
    assert retry.args == [inquiry.pk]
    assert retry.task.run_after - timezone.now() == pytest.approx(
        timedelta(seconds=300), abs=timedelta(seconds=5)
    )
    assert send_staff_email.call(*retry.args) == SKIPPED


@pytest.mark.django_db
def test_a_failed_try_is_recorded_and_its_queued_retry_sends_it_when_due(settings, queued_tasks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    inquiry = InquiryFactory()
    assert send_staff_email.call(inquiry.pk) == FAILED
    inquiry.refresh_from_db()
    assert inquiry.notification_last_error.startswith("ConnectionRefusedError")
    assert inquiry.notification_claimed_until is None  # free for the admin's "resend"
    [retry] = queued_tasks
    assert retry.task.run_after == inquiry.notification_next_attempt_at

    assert send_staff_email.call(inquiry.pk) == SKIPPED  # a copy that runs early does nothing
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    Inquiry.objects.filter(pk=inquiry.pk).update(
        notification_next_attempt_at=timezone.now() - timedelta(seconds=1)
    )  # the retry's time has come
    assert send_staff_email.call(*retry.args) == SENT
    inquiry.refresh_from_db()
    assert inquiry.notification_attempts == 2 and inquiry.notification_last_error == ""
    assert len(queued_tasks) == 2  # each try that ran queued the next one


@pytest.mark.django_db
def test_a_try_for_an_inquiry_deleted_since_is_skipped(queued_tasks):
    inquiry = InquiryFactory()
    Inquiry.objects.filter(pk=inquiry.pk).delete()
    assert send_staff_email.call(inquiry.pk) == SKIPPED
    assert queued_tasks == []


@pytest.mark.django_db
def test_a_queued_task_carries_only_the_inquirys_id(queued_tasks):
    inquiry = InquiryFactory(name="Zebra Quokka")
    queue_staff_email(inquiry.pk)
    queue_staff_email(inquiry.pk, force=True)
    assert [(task.args, task.kwargs) for task in queued_tasks] == [
        ([inquiry.pk], {}),
        ([inquiry.pk], {"force": True}),
    ]


# Real worker processes ------------------------------------------------------------------------


@background
@pytest.mark.parametrize("mail_server", ["up", "down", "hung"])
def test_the_post_never_waits_on_the_mail_server_and_the_worker_sends_each_email_once(
    client, settings, smtp_server, task_workers, wait_until, mail_server
):
    # Had the request sent mail itself, a hung server would have held it this long.
    settings.EMAIL_TIMEOUT = 5
    if mail_server == "down":
        smtp_server.stop()
    elif mail_server == "hung":
        smtp_server.hang()

    started = time.monotonic()
    responses = [client.post("/contact/", form_post()) for _ in range(3)]
    elapsed = time.monotonic() - started
    assert [response.status_code for response in responses] == [302, 302, 302]
    assert elapsed < settings.EMAIL_TIMEOUT
    inquiries = list(Inquiry.objects.all())
    assert len(inquiries) == 3  # stored before anything was tried
    assert {inquiry.notification_attempts for inquiry in inquiries} == {0}
    assert smtp_server.envelopes == [] and smtp_server.accepted_while_hung == 0

    task_workers.start()
    if mail_server != "up":
        wait_until(
            lambda: not Inquiry.objects.filter(notification_last_error="").exists(),
            what="every first try to fail",
        )
        assert not Inquiry.objects.filter(notification_sent_at__isnull=False).exists()
        smtp_server.start()  # the server answers again
    wait_until(all_sent, what="every email to be sent")
    wait_until(nothing_ready, what="the queued retries to run")
    task_workers.stop_all()
    assert references_received(smtp_server) == sorted(i.reference for i in inquiries)


@background
def test_two_workers_at_once_send_nothing_twice(smtp_server, task_workers, wait_until):
    # What is tested is the claim: two workers taking two copies of one email at the same
    # moment. With the tests' 0.15 s mail timeout, a machine busy enough can time a send out
    # after the server has accepted it, and the retry sends it again: one of the README's "two
    # ways to send twice", and a different case. So these workers wait a second for the server
    # (and a copy that finds the email claimed looks again 10 s later, as the check E005 asks).
    workers = [task_workers.start(**PATIENT_WORKER), task_workers.start(**PATIENT_WORKER)]
    wait_until(lambda: task_workers.logs().count("Starting worker") == 2, what="both workers")
    references = []
    for number in range(30):
        references.append(submit(number).reference)
        # A second copy of each try (as the safety net or a second click would add): the two
        # workers take the two copies at the same moment.
        queue_staff_email(Inquiry.objects.get(reference=references[-1]).pk)
    wait_until(all_sent, timeout=60, what="every email to be sent")
    wait_until(nothing_ready, timeout=60, what="the queued retries to run")
    # Neither worker died in the work (a lost claim race would end one with a traceback). How a
    # worker ends on SIGTERM is django-tasks' own business and not asserted: stopped at an
    # unlucky moment of its polling, one ended with a non-zero code once in CI.
    logs = task_workers.logs()
    assert [worker.poll() for worker in workers] == [None, None], logs
    assert "Traceback" not in logs, logs
    task_workers.stop_all()
    assert references_received(smtp_server) == sorted(references)
    ran_tasks = {
        worker
        for ids in DBTaskResult.objects.values_list("worker_ids", flat=True)
        for worker in ids
    }
    assert ran_tasks == {"test-worker-1", "test-worker-2"}, "both workers took part"


@background
def test_a_worker_killed_mid_send_leaves_the_email_to_its_retry_which_sends_it_once(
    smtp_server, task_workers, wait_until
):
    smtp_server.hang(drip=True)  # holds the worker in the middle of the SMTP conversation
    inquiry = submit(1)
    worker = task_workers.start()
    wait_until(lambda: smtp_server.accepted_while_hung == 1, what="the worker to connect")
    task_workers.kill(worker)
    inquiry.refresh_from_db()
    # It died holding the claim (never released): nothing recorded, nothing sent.
    assert inquiry.notification_attempts == 1 and inquiry.notification_last_error == ""
    assert inquiry.notification_sent_at is None
    assert inquiry.notification_claimed_until is not None

    smtp_server.start()
    # The retry's worker waits half a second for the server (and its own retry comes 10 s
    # later, as check E005 asks): with the tests' 0.15 s, a busy machine timed the retry out
    # once in CI, and the retry's retry sent it (still once, but a third try where this test
    # counts the second).
    task_workers.start(DJANGO_EMAIL_TIMEOUT="0.5", CONTACT_EMAIL_RETRY_SECONDS="5")
    wait_until(all_sent, what="the retry to send the email")
    wait_until(nothing_ready, what="the retry's own retry to run")
    task_workers.stop_all()
    assert references_received(smtp_server) == [inquiry.reference]
    inquiry.refresh_from_db()
    assert inquiry.notification_attempts == 2, inquiry.notification_last_error


@background
def test_resend_from_the_admin_queues_an_email_the_worker_sends_once(
    admin_client, smtp_server, task_workers, wait_until
):
    inquiry = InquiryFactory(notification_sent_at=timezone.now(), notification_attempts=1)
    response = admin_client.post(
        reverse("admin:contact_inquiry_changelist") + "?status=all",
        {"action": "resend_notification", "_selected_action": [inquiry.pk]},
    )
    assert response.status_code == 302
    assert smtp_server.envelopes == []  # queued by the request, not sent by it
    task_workers.start()
    wait_until(lambda: len(smtp_server.envelopes) == 1, what="the resent email")
    wait_until(all_sent, what="the inquiry to be marked sent")
    wait_until(nothing_ready, what="the queued retry to run")
    task_workers.stop_all()
    assert references_received(smtp_server) == [inquiry.reference]


@background
def test_a_database_connection_cut_as_the_mail_server_accepts_still_sends_the_email_once(
    smtp_server, task_workers, wait_until
):
    """The mail server has the message; before the worker hears "250", its database connection
    is cut (a restarted or failed-over server). The worker reconnects and records the send, so
    the retry queued with the claim finds nothing to do."""
    if connection.vendor != "postgresql":
        pytest.skip("cuts a PostgreSQL server's connection (pg_terminate_backend)")
    worker_name = "clinic-test-worker-cut"
    cut = []

    def cut_the_workers_connection(envelope):
        if cut:
            return
        with psycopg.connect(shared_database_url(), autocommit=True) as other:
            cut.extend(
                other.execute(
                    "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                    "WHERE application_name = %s",
                    [worker_name],
                ).fetchall()
            )

    smtp_server.inbox.on_accept = cut_the_workers_connection
    inquiry = submit(1)
    # Not a test of the mail timeout: the server answers "250" only after the cut (a new
    # connection, slow on a busy machine), so the worker waits a second for it, and its claim
    # lasts 10 s, time enough to reconnect and record the send.
    worker = task_workers.start(
        DATABASE_URL=f"{shared_database_url()}?application_name={worker_name}", **PATIENT_WORKER
    )
    wait_until(lambda: cut, what="the mail server to accept and cut the connection")
    assert cut == [(True,)], "the worker's connection was cut"
    wait_until(
        lambda: worker.poll() is not None or all_sent(), what="the send recorded or the worker gone"
    )
    if worker.poll() is not None:
        # Like a supervisor's restart (systemd's Restart=always): the queue goes on being read.
        task_workers.start(**PATIENT_WORKER)
    wait_until(all_sent, what="the send to be recorded")
    inquiry.refresh_from_db()
    # Its retry was queued for when the claim runs out: let it run and find nothing to send.
    wait_until(nothing_ready, timeout=30, what="the queued retry to run")
    worker_lived = worker.poll() is None
    task_workers.stop_all()
    assert references_received(smtp_server) == [inquiry.reference]
    assert worker_lived, "the worker reconnected instead of dying"
    assert "did not record it (OperationalError)" in task_workers.logs()


# A worker killed mid-task: its task is found, marked, and its email tried again ----------------


def running_tasks():
    return DBTaskResult.objects.filter(status="RUNNING")


@background
def test_a_task_left_running_by_a_killed_worker_is_marked_failed_shown_and_its_email_sent_once(
    admin_client, settings, smtp_server, task_workers, wait_until
):
    smtp_server.hang(drip=True)  # holds the worker in the middle of the SMTP conversation
    inquiry = submit(1)
    worker = task_workers.start()
    wait_until(lambda: smtp_server.accepted_while_hung == 1, what="the worker to connect")
    task_workers.kill(worker)
    [task] = running_tasks()  # the worker died with it: nothing else would ever change it

    # Younger than any task can run (twice the claim: 10 minutes by default), it might still
    # be running somewhere: left alone.
    assert "0 task(s) left running" in run_command("send_pending_notifications")
    assert running_tasks().count() == 1

    # With the workers' claim (1.5 s), it is abandoned after 3 s.
    settings.CONTACT_EMAIL_RETRY_SECONDS = WORKER_RETRY_SECONDS
    wait_until(lambda: abandoned_tasks().exists(), what="the task to outlive any task")
    panel = email_panel(admin_client)
    assert "1 staff email task has been running for over 3 seconds, longer than any" in panel

    with pytest.raises(CommandError, match="1 task.* left running by a worker that stopped"):
        run_command("send_pending_notifications")
    task.refresh_from_db()
    assert task.status == "FAILED" and task.exception_class_path == "contact.tasks.WorkerLost"
    assert task.finished_at is not None and "stopped before finishing it" in task.traceback
    assert not running_tasks().exists()
    panel = email_panel(admin_client)
    assert "running for over" not in panel
    assert "In the last 7 days, 1 task was left unfinished by a worker that stopped" in panel

    # The email: tried again through the claim, by the next worker, and sent once.
    smtp_server.start()
    task_workers.start()
    wait_until(all_sent, what="the email to be sent")
    wait_until(nothing_ready, what="the queued tries to run")
    task_workers.stop_all()
    assert references_received(smtp_server) == [inquiry.reference]
    assert not running_tasks().exists()


@pytest.mark.django_db
def test_a_task_killed_before_it_claimed_its_inquiry_gets_the_email_queued_again(queued_tasks):
    """Killed between taking the task and claiming the inquiry: no retry was queued yet. The
    cron job marks the task and queues the email, once however often it runs."""
    inquiry = InquiryFactory()
    taken = abandoned_task_for(inquiry, started=timezone.now() - timedelta(minutes=11))
    sent = abandoned_task_for(
        InquiryFactory(notification_sent_at=timezone.now()),
        started=timezone.now() - timedelta(minutes=11),
    )
    recent = abandoned_task_for(InquiryFactory(), started=timezone.now() - timedelta(minutes=9))

    with pytest.raises(CommandError, match="2 task"):
        run_command("send_pending_notifications")
    assert [task.args for task in queued_tasks] == [[inquiry.pk]]  # not the one already sent
    assert DBTaskResult.objects.get(pk=taken.pk).status == "FAILED"
    assert DBTaskResult.objects.get(pk=sent.pk).status == "FAILED"
    assert DBTaskResult.objects.get(pk=recent.pk).status == "RUNNING"  # may still be running
    assert "0 task(s) left running" in run_command("send_pending_notifications")
    assert len(queued_tasks) == 1


def abandoned_task_for(inquiry, started):
    """A send_staff_email task row as a worker leaves it when killed: RUNNING since `started`."""
    return DBTaskResult.objects.create(
        status="RUNNING",
        started_at=started,
        args_kwargs={"args": [inquiry.pk], "kwargs": {}},
        task_path=send_staff_email.module_path,
        backend_name="default",
        run_after=started,
        worker_ids=["killed-worker"],
        exception_class_path="",
        traceback="",
    )


def run_command(name):
    out = io.StringIO()
    call_command(name, stdout=out)
    return out.getvalue()
