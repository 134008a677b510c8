"""The admin index's staff-email panel, warning shown, passes axe-core in Chromium."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contact.models import Inquiry
from tests.contact.factories import InquiryFactory
from tests.factories import sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def log_in(context, live_server, user):
    client = sign_in(Client(), user)
    session = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": session.value, "url": live_server.url}])


def test_the_late_email_warning_is_worded_and_passes_axe(site, new_context, axe, live_server):
    late = InquiryFactory(notification_attempts=3, notification_last_error="SMTPDataError: 554")
    untried = InquiryFactory()
    hours_ago = timezone.now() - datetime.timedelta(hours=2)
    Inquiry.objects.filter(pk__in=[late.pk, untried.pk]).update(created_at=hours_ago)
    context = new_context()
    log_in(context, live_server, User.objects.create_superuser("boss", password=None))
    page = context.new_page()
    assert page.goto(reverse("admin:index")).status == 200

    panel = page.locator("#email-queue")
    text = panel.inner_text()
    assert "2 emails are waiting to be sent" in text
    assert "Warning:" in text and "SMTPDataError: 554" in text
    axe.load(page)
    # Only this panel: what axe finds in Django's own admin markup is not ours to fix here.
    violations = page.evaluate(
        """async (tags) => (await axe.run({include: ['#email-queue']}, {
             runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
           })).violations""",
        WCAG_AA,
    )
    assert violations == [], axe.format(violations, "the staff email panel")
    with page.expect_navigation():
        panel.get_by_role("link").click()
    assert page.locator("#result_list tbody tr").count() == 2
