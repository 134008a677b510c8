"""A patient asks about a condition through the contact form, in Chromium: from the condition
page to the thank-you page, through an empty submission and its errors. axe-core checks the
form, its error state and the thank-you page (WCAG 2.2 A/AA)."""

import re

import pytest
from playwright.sync_api import expect

from conditions.models import Condition
from contact.models import Inquiry
from tests.contact.factories import form_post, served_token
from tests.factories import ConditionFactory

CLUNEAL_SLUG = "cluneal-nerve-entrapment"


@pytest.fixture
def condition(site, settings):
    # No minimum time: the test would only wait it out. The check itself is tested without a
    # browser (tests/contact/test_views.py, test_forms.py).
    settings.CONTACT_MIN_SECONDS = 0
    found = Condition.objects.published().filter(slug=CLUNEAL_SLUG).first()
    return found or ConditionFactory(title="Cluneal nerve entrapment", slug=CLUNEAL_SLUG)


def error_summary_items(page):
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    return [text.strip() for text in summary.locator("li").all_inner_texts()]


def test_a_patient_asks_about_a_condition_fixes_the_errors_and_gets_a_reference(
    page, condition, axe
):
    page.goto(condition.get_absolute_url())
    page.get_by_role("link", name="Ask us about this condition").click()
    expect(page).to_have_url(re.compile(rf"/contact/\?condition={CLUNEAL_SLUG}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact us")
    expect(page.get_by_label("Related condition (optional)")).to_have_value(str(condition.pk))
    expect(page.get_by_role("link", name=re.compile("574-404-7246"))).to_have_count(3)
    axe.check(page)

    # Submit with nothing filled in: every problem is listed at the top.
    page.get_by_role("button", name="Send message").click()
    expect(page).to_have_title(re.compile("^Error:"))
    problems = error_summary_items(page)
    assert "Enter your name." in problems
    assert "Enter an email address or a phone number, so we can reply." in problems
    assert "Choose how we should contact you." in problems
    assert "Enter your message." in problems
    assert "Tick the box to agree, so we can store your message." in problems
    # The condition chosen for the patient is still chosen.
    expect(page.get_by_label("Related condition (optional)")).to_have_value(str(condition.pk))
    # Each problem links to its field, and the field says what is wrong.
    page.locator(".govuk-error-summary").get_by_role("link", name="Enter your name.").click()
    name = page.get_by_label("Your name")
    expect(name).to_be_focused()
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_accessible_description(re.compile("Enter your name"))
    axe.check(page)

    # Fix everything and send.
    name.fill("Pat Example")
    page.get_by_label("Email address").fill("pat@example.com")
    page.get_by_role("group", name="How should we contact you?").get_by_label("Email").check()
    page.get_by_label("Your message").fill("Could this be what I have? I would like to talk.")
    page.get_by_label(re.compile("I agree that Cutting Edge Pain")).check()
    page.get_by_role("button", name="Send message").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("We have your message")
    reference = page.locator(".app-panel__reference").inner_text()
    assert re.fullmatch(r"R-[2-9A-Z]{6}", reference)
    inquiry = Inquiry.objects.get(reference=reference)
    assert inquiry.condition == condition and inquiry.reason == Inquiry.Reason.CONDITION
    expect(page.get_by_role("link", name=re.compile("574-404-7246")).first).to_be_visible()
    axe.check(page)

    # Refreshing the thank-you page (a GET, thanks to post/redirect/get) sends nothing again.
    page.reload()
    expect(page.locator(".app-panel__reference")).to_have_text(reference)
    assert Inquiry.objects.count() == 1


def test_the_form_works_without_javascript_under_the_sites_csp(new_context, condition):
    context = new_context(java_script_enabled=False, bypass_csp=False)
    page = context.new_page()
    page.goto(f"/contact/?condition={CLUNEAL_SLUG}")
    page.get_by_label("Your name").fill("Sam Example")
    page.get_by_label("Phone number").fill("(574) 404-7246")
    page.get_by_role("group", name="How should we contact you?").get_by_label("Phone call").check()
    page.get_by_label("Your message").fill("Please call me back.")
    page.get_by_label(re.compile("I agree that Cutting Edge Pain")).check()
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("We have your message")
    inquiry = Inquiry.objects.get()
    assert inquiry.phone == "+15744047246"


# No cookie, and no post from another site ---------------------------------------------------------


@pytest.mark.parametrize("form_url", ["/contact/", "/es/contacto/"])
def test_reading_and_writing_to_the_clinic_leave_the_browser_without_a_cookie(
    new_context, site, settings, form_url
):
    """Read an article, send the form empty, then filled in, land on the thank-you page, read
    on: Chromium holds no cookie from the site at any point."""
    settings.CONTACT_MIN_SECONDS = 0  # no waiting in the test; a person takes longer anyway
    context = new_context()
    page = context.new_page()
    page.goto(f"/conditions/{CLUNEAL_SLUG}/")
    page.goto(form_url)
    form = page.locator("main form.app-form")
    form.locator("button[type=submit]").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert context.cookies() == []

    form.locator("[name=name]").fill("Pat Example")
    form.locator("[name=email]").fill("pat@example.com")
    form.locator("input[name=preferred_contact][value=email]").check()
    form.locator("input[name=reason][value=new_patient]").check()
    form.locator("[name=message]").fill("Could you call me about an appointment?")
    form.locator("[name=consent]").check()
    form.locator("button[type=submit]").click()
    reference = page.locator(".app-panel__reference")
    expect(reference).to_have_text(re.compile(r"R-[2-9A-Z]{6}"))
    assert Inquiry.objects.get().reference == reference.inner_text()
    page.reload()
    page.goto("/")
    assert context.cookies() == []


def test_a_form_another_site_makes_chromium_post_is_refused(browser, site, live_server):
    """An attacker's page (another host: Chromium sends its Origin) posts a filled-in contact
    form, with a good token its server fetched, as soon as it opens. The site refuses it with
    its own page and stores nothing. The page is served by the test, in a context of its own,
    so the request log does not count its address."""
    attacker_origin = live_server.url.replace("localhost", "127.0.0.1")
    attacker = f"{attacker_origin}/free-prize/"
    fields = {**form_post(name="Forged Name"), "form_token": served_token(address="127.0.0.1")}
    inputs = "".join(
        f'<input type="hidden" name="{name}" value="{value}">' for name, value in fields.items()
    )
    html = (
        f'<form id="f" method="post" action="{live_server.url}/contact/">{inputs}</form>'
        "<script>document.getElementById('f').submit()</script>"
    )
    context = browser.new_context()
    try:
        page = context.new_page()
        page.route(attacker, lambda route: route.fulfill(content_type="text/html", body=html))
        with page.expect_response(f"{live_server.url}/contact/") as answer:
            page.goto(attacker)
        assert answer.value.status == 403
        expect(page.get_by_role("heading", level=1)).to_have_text("We could not accept this form")
        assert answer.value.request.all_headers()["origin"] == attacker_origin
        assert not Inquiry.objects.exists()
        assert context.cookies() == []
    finally:
        context.close()
