"""The staff email: what it says (and does not), who may send it (claims, retry times), and
delivery through a real SMTP server."""

import email
import smtplib
from datetime import timedelta
from email.policy import default as default_policy

import pytest
from django.core import mail
from django.utils import timezone

from contact.emails import build_message, claim, describe_error, retry_delay
from contact.models import Inquiry
from contact.tasks import send_staff_email
from tests.contact.factories import InquiryFactory, form_post
from tests.factories import ConditionFactory

pytestmark = pytest.mark.django_db

NAME = "Zelda <b>Quokka</b>"
MESSAGE = "My back hurts <script>alert('x')</script>\nsince Tuesday."
EMAIL = "zelda.quokka@example.com"


@pytest.fixture
def inquiry():
    return InquiryFactory(
        name=NAME,
        email=EMAIL,
        phone="+15744047246",
        message=MESSAGE,
        reason=Inquiry.Reason.NEW_PATIENT,
        preferred_contact=Inquiry.PreferredContact.PHONE,
        condition=ConditionFactory(title="Cluneal nerve entrapment"),
    )


def html_part(message):
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def test_the_subject_names_the_reference_and_reason_only(inquiry):
    message = build_message(inquiry)
    assert message.subject == (
        f"[Cutting Edge Pain] New inquiry {inquiry.reference}: New patient appointment"
    )


def test_by_default_the_email_holds_the_minimum(inquiry):
    message = build_message(inquiry)
    body, html = message.body, html_part(message)
    for text in (body, html):
        assert inquiry.reference in text
        assert "New patient appointment" in text
        assert "Phone call" in text
        assert f"https://clinic.example/admin/contact/inquiry/{inquiry.pk}/change/" in text
        for private in ("Zelda", "Quokka", EMAIL, "back hurts", "404-7246"):
            assert private not in text
    assert message.reply_to == []


def test_it_is_sent_from_the_site_to_the_configured_recipients(inquiry):
    message = build_message(inquiry)
    assert message.from_email == "Cutting Edge Pain website <website@cuttingedgepain.com>"
    assert message.to == ["frontdesk@example.com", "manager@example.com"]


def test_with_details_on_the_email_holds_the_patients_details_escaped_in_html(inquiry, settings):
    settings.CONTACT_EMAIL_INCLUDE_DETAILS = True
    message = build_message(inquiry)
    assert NAME in message.body and MESSAGE in message.body and EMAIL in message.body
    assert "574-404-7246" in message.body
    html = html_part(message)
    assert "Zelda &lt;b&gt;Quokka&lt;/b&gt;" in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;<br>since Tuesday." in html
    assert "<script>" not in html and "<b>Quokka" not in html
    # Replies go to the patient; the sender is still the site (DMARC).
    assert message.reply_to == [EMAIL]
    assert message.from_email == "Cutting Edge Pain website <website@cuttingedgepain.com>"
    # Still nothing the patient typed in the subject.
    assert "Zelda" not in message.subject


def test_with_details_on_but_no_email_address_there_is_no_reply_to(inquiry, settings):
    settings.CONTACT_EMAIL_INCLUDE_DETAILS = True
    inquiry.email = ""
    assert build_message(inquiry).reply_to == []


def test_a_hostile_name_cannot_add_headers(settings):
    settings.CONTACT_EMAIL_INCLUDE_DETAILS = True
    inquiry = InquiryFactory(name="Pat\r\nBcc: victim@example.com", email=EMAIL)
    raw = build_message(inquiry).message().as_bytes()
    parsed = email.message_from_bytes(raw, policy=default_policy)
    assert parsed["Bcc"] is None
    assert "\n" not in parsed["Subject"] and "\r" not in parsed["Subject"]


def test_error_descriptions_hold_no_message_text():
    refused = smtplib.SMTPDataError(554, b"Rejected: My back hurts")
    assert describe_error(refused) == "SMTPDataError: 554"
    assert describe_error(ConnectionRefusedError(111, "Connection refused")) == (
        "ConnectionRefusedError: Connection refused"
    )
    assert describe_error(TimeoutError("timed out")) == "TimeoutError"


# A real SMTP server on loopback ---------------------------------------------------------------


def test_a_submission_is_delivered_to_a_real_smtp_server(
    client, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/contact/", form_post())
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    [envelope] = smtp_server.envelopes
    assert envelope.mail_from == "website@cuttingedgepain.com"
    assert sorted(envelope.rcpt_tos) == ["frontdesk@example.com", "manager@example.com"]
    received = email.message_from_bytes(envelope.content, policy=default_policy)
    assert received["Subject"] == (
        f"[Cutting Edge Pain] New inquiry {inquiry.reference}: New patient appointment"
    )
    assert received.get_content_type() == "multipart/alternative"
    assert received["Reply-To"] is None
    inquiry.refresh_from_db()
    assert inquiry.notification_sent_at is not None and inquiry.notification_last_error == ""


def test_during_an_outage_the_patient_is_not_told_and_the_failure_is_recorded(
    client, smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.stop()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/contact/", form_post())
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    inquiry = Inquiry.objects.get()
    assert inquiry.notification_sent_at is None
    assert inquiry.notification_attempts == 1
    assert inquiry.notification_last_error.startswith("ConnectionRefusedError")
    assert inquiry.notification_next_attempt_at > timezone.now()  # when the retry is due


def test_locmem_outbox_gets_one_email_per_new_inquiry(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        data = form_post()
        client.post("/contact/", data)
        client.post("/contact/", data)  # double click
    assert len(mail.outbox) == 1


def test_with_nobody_to_send_to_the_email_is_not_marked_sent(settings):
    settings.CONTACT_RECIPIENTS = []
    inquiry = InquiryFactory()
    send_staff_email.call(inquiry.pk)
    inquiry.refresh_from_db()
    assert inquiry.notification_sent_at is None
    assert inquiry.notification_last_error == "NoRecipientsError"


# Claims: one sender per email, and when the next try is due -----------------------------------


def fresh(inquiry):
    return Inquiry.objects.get(pk=inquiry.pk)


def test_a_claim_is_taken_by_one_sender_only():
    inquiry = InquiryFactory()
    assert claim(fresh(inquiry)) is not None
    assert claim(fresh(inquiry)) is None
    assert claim(fresh(inquiry), force=True) is None  # not even "resend" while someone holds it


def test_a_claim_left_by_a_crashed_sender_expires_when_its_retry_is_due():
    inquiry = InquiryFactory()
    now = timezone.now()
    retry_at = claim(inquiry, now=now)
    assert retry_at == now + timedelta(seconds=300) == inquiry.notification_claimed_until
    assert claim(fresh(inquiry), now=retry_at - timedelta(seconds=1)) is None
    assert claim(fresh(inquiry), now=retry_at) is not None
    assert fresh(inquiry).notification_attempts == 2


def test_a_retry_is_not_tried_before_it_is_due_unless_staff_resend():
    later = timezone.now() + timedelta(hours=1)
    inquiry = InquiryFactory(notification_attempts=1, notification_next_attempt_at=later)
    assert claim(fresh(inquiry)) is None
    assert claim(fresh(inquiry), force=True) is not None


def test_resend_claims_a_sent_email_and_counts_it_unsent_until_it_goes():
    inquiry = InquiryFactory(notification_sent_at=timezone.now(), notification_attempts=1)
    assert claim(fresh(inquiry)) is None
    assert claim(fresh(inquiry), force=True) is not None
    inquiry.refresh_from_db()
    assert inquiry.notification_sent_at is None and inquiry.notification_attempts == 2


@pytest.mark.parametrize(
    ("attempt", "seconds"), [(1, 300), (2, 600), (3, 1200), (4, 2400), (5, 3600), (12, 3600)]
)
def test_retries_back_off_doubling_up_to_an_hour(attempt, seconds):
    assert retry_delay(attempt) == seconds


def test_a_retry_period_over_an_hour_is_kept_as_it_is(settings):
    settings.CONTACT_EMAIL_RETRY_SECONDS = 7200
    assert retry_delay(1) == retry_delay(6) == 7200
