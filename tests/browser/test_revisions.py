"""The medical review workflow end to end, in Chromium, with a real task worker and a real SMTP
server on loopback: an editor revises a live page while a reader keeps getting the live text,
asks for review; the reviewer is emailed, compares, publishes; the reader gets the new text on
the next request and the editor is emailed. Each new screen passes axe-core (what is ours) and
with SCREENSHOT_DIR set, is saved there at 1,280 and 390 px wide."""

import re

import pytest
from django.conf import settings

from conditions.models import Condition
from tests.browser.viewports import screenshots
from tests.conditions.staff import EDITORS, REVIEWERS, staff_user
from tests.contact.conftest import PATIENT_WORKER, smtp_server, task_workers  # noqa: F401 (fixtures)
from tests.factories import ConditionFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def live(site):
    return ConditionFactory(
        title="Piriformis pain",
        slug="piriformis-pain",
        overview="The live words about the muscle.",
    )


def assert_accessible(axe, page):
    violations = axe.ours(page)
    assert violations == [], axe.format(violations, page.url)


def staff_page(new_context, sign_in, user):
    context = new_context(viewport={"width": 1280, "height": 900})
    sign_in(context, user)
    return context.new_page()


def message_to(server, address, subject):
    for envelope in server.envelopes:
        body = envelope.content.decode()
        if address in envelope.rcpt_tos and subject in body:
            return body
    return None


def test_an_editor_revises_a_live_page_and_a_reviewer_publishes_it(
    site,
    live,
    new_context,
    sign_in,
    axe,
    smtp_server,  # noqa: F811
    task_workers,  # noqa: F811
    wait_until,
):
    editor = staff_user(EDITORS, username="eddie", email="eddie@example.com", first_name="Eddie")
    reviewer = staff_user(
        REVIEWERS, username="dana", email="dana@example.com", first_name="Dana", last_name="Reyes"
    )
    # Not a test of timeouts: the mail server gets longer to answer than the contact tests
    # give it, on a machine that is also running Chromium (a failed try is tried again 10 s on).
    task_workers.start(**PATIENT_WORKER)
    reader = new_context().new_page()
    assert "The live words" in reader.goto(live.get_absolute_url()).text()

    # The editor revises the live page.
    page = staff_page(new_context, sign_in, editor)
    page.goto(f"/admin/conditions/condition/{live.pk}/change/")
    assert_accessible(axe, page)
    screenshots(page, "1-live-page-for-an-editor")
    with page.expect_navigation():
        page.get_by_role("button", name="Revise this page").click()
    assert "This is a revision of a live page" in page.locator("#workflow").inner_text()
    page.locator("textarea[name=overview]").fill("The revised words about the muscle.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and ask for medical review").click()
    assert "In review" in page.locator("#workflow").inner_text()
    assert_accessible(axe, page)
    screenshots(page, "2-revision-in-review-for-its-editor")

    # The reader still gets the live text.
    assert "The live words" in reader.goto(live.get_absolute_url()).text()

    # The reviewer is emailed by the worker, through SMTP.
    wait_until(
        lambda: message_to(smtp_server, "dana@example.com", "Medical review asked for"),
        what=lambda: f"the review request email; the worker's log:\n{task_workers.logs()}",
    )
    body = message_to(smtp_server, "dana@example.com", "Medical review asked for")
    link = re.search(re.escape(settings.SITE_URL) + r"(/admin/\S+)", body).group(1)

    # The index shows the queue; the revision shows its changes; the reviewer publishes.
    page = staff_page(new_context, sign_in, reviewer)
    page.goto("/admin/")
    queue = page.locator("#review-queue")
    assert "Waiting for medical review (1)" in queue.text_content()
    assert_accessible(axe, page)
    screenshots(page, "3-admin-index-with-the-queue")
    page.goto(link)
    changes = page.locator(".field-changes_since_live")
    assert "revised" in changes.inner_text()
    assert_accessible(axe, page)
    screenshots(page, "4-revision-for-the-reviewer")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and publish").click()
    assert "Published" in page.locator(".messagelist").inner_text()

    # The reader gets the new text on the next request; the editor is told.
    assert "The revised words" in reader.goto(live.get_absolute_url()).text()
    wait_until(
        lambda: message_to(smtp_server, "eddie@example.com", "Published: Piriformis pain"),
        what=lambda: f"the email to the author; the worker's log:\n{task_workers.logs()}",
    )
    live.refresh_from_db()
    assert live.reviewed_by == "Dana Reyes"
    assert not Condition.with_revisions.filter(revision_of=live).exists()

    # Taking a page offline asks first.
    page.goto(f"/admin/conditions/condition/{live.pk}/take-offline/")
    assert_accessible(axe, page)
    screenshots(page, "5-take-offline-confirmation")
