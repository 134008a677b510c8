"""The front desk's admin: the work list, read-only patient fields, status, actions, export."""

import csv
import datetime
import io

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, User
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from contact.admin import csv_safe, previous_business_day
from contact.models import Inquiry
from contact.tasks import fail_abandoned_tasks, send_staff_email
from tests.contact.factories import InquiryFactory
from tests.factories import sign_in

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:contact_inquiry_changelist")
XSS = "<script>alert('x')</script><img src=x onerror=alert(1)>"


def change_url(inquiry):
    return reverse("admin:contact_inquiry_change", args=[inquiry.pk])


@pytest.fixture
def front_desk(client):
    user = User.objects.create_user("desk", password=None, is_staff=True)
    user.groups.add(Group.objects.get(name="Front desk"))
    sign_in(client, user)
    return user


def references_listed(response):
    page = BeautifulSoup(response.content, "html.parser")
    return {a.get_text() for a in page.select("#result_list th.field-reference a")}


def change_post(inquiry, **overrides):
    data = {
        "status": inquiry.status,
        "handled_by": inquiry.handled_by_id or "",
        "new_note": "",
    }
    data.update(overrides)
    return data


# The list ----------------------------------------------------------------------------------


def test_the_list_shows_open_inquiries_by_default(client, front_desk):
    new = InquiryFactory()
    working = InquiryFactory(status=Inquiry.Status.IN_PROGRESS)
    closed = InquiryFactory(status=Inquiry.Status.CLOSED)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert references_listed(response) == {new.reference, working.reference}
    closed_only = client.get(CHANGELIST, {"status": "closed"})
    assert references_listed(closed_only) == {closed.reference}
    everything = client.get(CHANGELIST, {"status": "all"})
    assert len(references_listed(everything)) == 3


def test_the_list_has_the_columns_the_front_desk_needs(client, front_desk):
    InquiryFactory(notification_attempts=2, notification_last_error="ConnectionRefusedError")
    page = BeautifulSoup(client.get(CHANGELIST).content, "html.parser")
    headers = [th.get_text(strip=True).lower() for th in page.select("#result_list thead th")]
    for column in ("reference", "received", "reason", "status", "waiting", "staff email"):
        assert column in headers
    row = page.select_one("#result_list tbody tr").get_text(" ", strip=True)
    assert "Failed, will retry (2 attempts)" in row


@pytest.mark.parametrize(
    ("fields", "shown"),
    [
        ({}, "Not sent yet"),
        ({"notification_attempts": 2}, "Not sent yet"),  # a resend in the worker's hands
        ({"notification_attempts": 1, "notification_last_error": "TimeoutError"}, "Failed"),
        ({"notification_attempts": 1, "notification_sent_at": timezone.now()}, "Sent"),
    ],
)
def test_the_staff_email_column_says_where_the_email_is(client, front_desk, fields, shown):
    InquiryFactory(**fields)
    page = BeautifulSoup(client.get(CHANGELIST).content, "html.parser")
    assert page.select_one("#result_list td.field-email_state").get_text().startswith(shown)


def test_filter_by_reason_and_waiting_over_one_business_day(client, front_desk):
    billing = InquiryFactory(reason=Inquiry.Reason.BILLING)
    other = InquiryFactory(reason=Inquiry.Reason.OTHER)
    old = timezone.now() - datetime.timedelta(days=5)
    Inquiry.objects.filter(pk=other.pk).update(created_at=old)
    assert references_listed(client.get(CHANGELIST, {"reason__exact": "billing"})) == {
        billing.reference
    }
    waiting = client.get(CHANGELIST, {"waiting": "over_one_business_day"})
    assert references_listed(waiting) == {other.reference}


def test_one_business_day_skips_the_weekend():
    monday = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC)
    assert previous_business_day(monday) == monday - datetime.timedelta(days=3)
    wednesday = monday + datetime.timedelta(days=2)
    assert previous_business_day(wednesday) == wednesday - datetime.timedelta(days=1)


def test_an_inquiry_from_friday_is_not_overdue_on_monday_morning(client, front_desk):
    friday_afternoon = datetime.datetime(2026, 11, 20, 15, 0, tzinfo=datetime.UTC)
    with time_machine.travel(friday_afternoon, tick=False):
        inquiry = InquiryFactory()
    # Staff sessions last 30 idle minutes: sign in again on each visit.
    with time_machine.travel(friday_afternoon + datetime.timedelta(days=3, hours=-2)):
        sign_in(client, front_desk)
        waiting = client.get(CHANGELIST, {"waiting": "over_one_business_day"})
        assert references_listed(waiting) == set()
    with time_machine.travel(friday_afternoon + datetime.timedelta(days=3, hours=1)):
        sign_in(client, front_desk)
        waiting = client.get(CHANGELIST, {"waiting": "over_one_business_day"})
        assert references_listed(waiting) == {inquiry.reference}


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("name", "Quokka"),
        ("email", "zelda.quokka@example"),
        ("phone", "(574) 404-7246"),
        ("phone", "574-404-7246"),
        ("phone", "+15744047246"),
        ("reference", None),
    ],
)
def test_search_by_name_email_phone_or_reference(client, front_desk, field, typed):
    wanted = InquiryFactory(name="Zelda Quokka", email="zelda.quokka@example.com")
    wanted.phone = "+15744047246"
    wanted.save()
    InquiryFactory(name="Someone Else", email="else@example.com", phone="+15745550199")
    response = client.get(CHANGELIST, {"q": typed or wanted.reference})
    assert references_listed(response) == {wanted.reference}


# One inquiry -------------------------------------------------------------------------------


def test_patient_text_is_escaped_in_the_list_and_the_change_page(client, front_desk):
    inquiry = InquiryFactory(name=XSS, message=XSS + "\nsecond line", email="a@example.com")
    for url in (CHANGELIST + "?q=alert", change_url(inquiry)):
        html = client.get(url).content.decode()
        assert "<script>alert('x')" not in html and "<img src=x" not in html
    html = client.get(change_url(inquiry)).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "second line" in html


def test_the_patients_fields_cannot_be_changed(client, front_desk):
    inquiry = InquiryFactory(name="Original Name", message="Original message")
    response = client.post(
        change_url(inquiry),
        change_post(inquiry, name="Changed", message="Changed", email="evil@example.com"),
    )
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.name == "Original Name" and inquiry.message == "Original message"
    page = BeautifulSoup(client.get(change_url(inquiry)).content, "html.parser")
    for name in ("name", "email", "phone", "message", "reason", "consent"):
        assert page.find(attrs={"name": name}) is None, name
    for name in ("status", "handled_by", "new_note"):
        assert page.find(attrs={"name": name}) is not None, name


def test_inquiries_cannot_be_added_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:contact_inquiry_add")).status_code == 403


def test_a_status_change_records_who_and_when_and_stays_in_the_history(client, front_desk):
    inquiry = InquiryFactory()
    response = client.post(
        change_url(inquiry),
        change_post(
            inquiry,
            status="in_progress",
            handled_by=front_desk.pk,
            new_note="Called back, left a voicemail.",
        ),
    )
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.IN_PROGRESS
    assert inquiry.status_changed_by == front_desk
    assert timezone.now() - inquiry.status_changed_at < datetime.timedelta(minutes=1)
    [note] = inquiry.notes.all()
    assert (note.text, note.author) == ("Called back, left a voicemail.", front_desk)
    latest = inquiry.history.first()
    assert latest.history_user == front_desk and latest.status == "in_progress"
    history = client.get(reverse("admin:contact_inquiry_history", args=[inquiry.pk]))
    assert history.status_code == 200 and "desk" in history.content.decode()


def test_saving_without_a_status_change_does_not_touch_who_and_when(client, front_desk):
    inquiry = InquiryFactory()
    client.post(change_url(inquiry), change_post(inquiry, new_note="note"))
    inquiry.refresh_from_db()
    assert inquiry.status_changed_at is None and inquiry.status_changed_by is None


# Actions -----------------------------------------------------------------------------------


def action(client, name, *inquiries):
    return client.post(
        CHANGELIST + "?status=all",
        {"action": name, "_selected_action": [i.pk for i in inquiries]},
    )


def test_bulk_actions_move_inquiries_through_the_workflow(client, front_desk):
    first, second = InquiryFactory.create_batch(2)
    action(client, "mark_in_progress", first, second)
    assert set(Inquiry.objects.values_list("status", flat=True)) == {"in_progress"}
    action(client, "mark_closed", first)
    first.refresh_from_db()
    assert first.status == "closed" and first.status_changed_by == front_desk
    assert [h.status for h in first.history.order_by("history_date")] == [
        "new",
        "in_progress",
        "closed",
    ]
    assert all(h.history_user == front_desk for h in first.history.all()[:2])


def test_resend_sends_the_staff_email_again(client, front_desk):
    inquiry = InquiryFactory(notification_sent_at=timezone.now(), notification_attempts=1)
    response = action(client, "resend_notification", inquiry)
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and inquiry.reference in mail.outbox[0].subject
    inquiry.refresh_from_db()
    assert inquiry.notification_attempts == 2


def test_resend_queues_the_email_and_leaves_one_being_sent_right_now_alone(
    client, front_desk, queued_tasks
):
    sent = InquiryFactory(notification_sent_at=timezone.now(), notification_attempts=1)
    sending = InquiryFactory(
        notification_attempts=1,
        notification_claimed_until=timezone.now() + datetime.timedelta(minutes=1),
    )
    response = action(client, "resend_notification", sent, sending)
    assert [(task.args, task.kwargs) for task in queued_tasks] == [([sent.pk], {"force": True})]
    shown = [str(m) for m in response.wsgi_request._messages]
    assert shown == [
        "1 email queued to be sent again. Its state shows on the inquiry.",
        "1 email is being sent right now; try again in a few minutes.",
    ]
    assert mail.outbox == []  # the worker sends it, not the request


# The admin index: is staff email flowing? -----------------------------------------------------


def email_panel(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    panel = BeautifulSoup(response.content, "html.parser").find(id="email-queue")
    return " ".join(panel.get_text(" ").split()) if panel else None


def received_minutes_ago(minutes, **fields):
    inquiry = InquiryFactory(**fields)
    Inquiry.objects.filter(pk=inquiry.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )
    return inquiry


def test_the_index_says_when_every_staff_email_has_been_sent(client, front_desk):
    InquiryFactory(notification_sent_at=timezone.now(), notification_attempts=1)
    assert email_panel(client) == "Staff email Every staff email has been sent."


def test_the_index_counts_waiting_emails_and_the_oldest_ones_age(client, front_desk):
    received_minutes_ago(2)
    received_minutes_ago(9)
    InquiryFactory(notification_sent_at=timezone.now(), notification_attempts=1)
    text = email_panel(client)
    assert "2 emails are waiting to be sent; the oldest for 9 minutes." in text
    assert "Warning" not in text


def test_the_index_warns_when_the_worker_seems_stopped(client, front_desk, settings):
    settings.CONTACT_EMAIL_QUEUE_WARN_MINUTES = 15
    received_minutes_ago(20)
    received_minutes_ago(1)
    text = email_panel(client)
    assert "2 emails are waiting to be sent; the oldest for 20 minutes." in text
    assert "Warning: the front desk has not been told about every inquiry" in text
    assert "more than 15 minutes" in text
    assert "1 of them has not even been tried: the task worker" in text
    page = BeautifulSoup(client.get(reverse("admin:index")).content, "html.parser")
    link = page.find(id="email-queue").find("a")["href"]
    assert client.get(link).context["cl"].result_count == 2


def test_the_index_warns_with_the_mail_servers_last_answer(client, front_desk, settings):
    settings.CONTACT_EMAIL_QUEUE_WARN_MINUTES = 30
    received_minutes_ago(
        45,
        notification_attempts=4,
        notification_last_error="SMTPDataError: 554",
        notification_next_attempt_at=timezone.now() + datetime.timedelta(minutes=5),
    )
    text = email_panel(client)
    assert "more than 30 minutes" in text and "SMTPDataError: 554" in text
    assert "not even been tried" not in text


def test_the_index_shows_no_email_panel_to_staff_who_cannot_see_inquiries(client):
    editor = User.objects.create_user("editor", password=None, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    sign_in(client, editor)
    received_minutes_ago(60)
    assert email_panel(client) is None


def test_the_delete_action_is_not_offered(admin_client):
    InquiryFactory()
    page = BeautifulSoup(admin_client.get(CHANGELIST).content, "html.parser")
    actions = [o["value"] for o in page.select("select[name=action] option") if o["value"]]
    assert "delete_selected" not in actions
    assert {"mark_in_progress", "mark_closed", "resend_notification", "export_csv"} <= set(actions)


def test_csv_export_of_selected_rows_cannot_run_formulas(client, front_desk):
    hostile = InquiryFactory(
        name='=HYPERLINK("http://evil.example","click")',
        message="+1+1\n@SUM(A1)",
        email="pat@example.com",
    )
    hostile.notes.create(author=front_desk, text="-2")
    not_selected = InquiryFactory(name="Not Selected")
    response = action(client, "export_csv", hostile)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, [row] = rows[0], rows[1:]
    record = dict(zip(header, row, strict=True))
    assert record["Reference"] == hostile.reference
    assert record["Name"].startswith("'=")
    assert record["Message"].startswith("'+")
    assert record["Staff notes"][:2] == "20" and record["Staff notes"].endswith(":\n-2")
    assert record["Phone"] == "574-555-0123"
    assert not_selected.name not in response.content.decode()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("plain", "plain"),
        (None, ""),
        (5, "5"),
    ],
)
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected


def test_the_index_warns_of_tasks_a_stopped_worker_left_running_and_says_what_was_done(
    client, front_desk
):
    inquiry = InquiryFactory()
    task = DBTaskResult.objects.create(
        status="RUNNING",
        started_at=timezone.now() - datetime.timedelta(minutes=11),
        args_kwargs={"args": [inquiry.pk], "kwargs": {}},
        task_path=send_staff_email.module_path,
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    )
    text = email_panel(client)
    assert "Warning: 1 staff email task has been running for over 10 minutes" in text
    assert "the worker that took it has most likely stopped" in text
    assert "send_pending_notifications marks such tasks failed" in text

    assert fail_abandoned_tasks() == 1
    task.refresh_from_db()
    assert task.status == "FAILED"
    text = email_panel(client)
    assert "running for over" not in text
    assert "In the last 7 days, 1 task was left unfinished by a worker that stopped" in text
