"""The library in Chromium: every English page (the fixed pages, search, every article) and
the conditions of each body area pass axe-core (WCAG 2.2 A/AA) on a phone and a desktop;
"Where does it hurt?" works with JavaScript off. (The Spanish pages: test_spanish.py.)"""

from django.urls import reverse

from conditions.models import Condition, Guide, Treatment
from tests.browser.viewports import PHONE
from tests.spanish import FIXED_PAGES


def english_pages():
    """Every English page a reader can reach, as tests/spanish.py lists the Spanish ones."""
    urls = [reverse(name) for name in FIXED_PAGES]
    urls += ["/conditions/?area=low-back", "/conditions/?area=feet", "/search/?q=buttock+pain"]
    for model in (Condition, Treatment, Guide):
        urls += [a.get_absolute_url() for a in model.objects.published().in_language("en")]
    return urls


def test_every_page_of_the_library_passes_axe_on_a_phone_and_a_desktop(
    site, new_context, axe, request_log
):
    context = new_context(viewport=PHONE)
    page = context.new_page()
    urls = english_pages()
    assert len(urls) >= 8 + 10 + 9 + 4
    for url in urls:
        assert page.goto(url).status == 200, url
        axe.check_widths(page)
        if url != reverse("contact:form"):  # the form's CSRF cookie; no other page sets one
            assert context.cookies() == [], url
        context.clear_cookies()
    request_log.assert_same_host()


def test_where_does_it_hurt_works_without_javascript(site, new_context):
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    page.goto("/")
    areas = page.get_by_role("navigation", name="Where does it hurt?")
    areas.get_by_role("link", name="Knee").click()

    assert page.url.endswith("/conditions/?area=knee")
    assert page.get_by_role("heading", level=1).inner_text() == "Conditions: Knee"
    assert page.get_by_role("link", name="Knee osteoarthritis").is_visible()
    current = page.locator('.app-areas [aria-current="page"]')
    assert current.inner_text().startswith("Knee")


def test_a_treatment_page_shows_the_signs_after_a_procedure_below_afterwards(site, new_context):
    page = new_context(viewport=PHONE).new_page()
    page.goto("/treatments/epidural-steroid-injection/")
    card = page.get_by_role("complementary", name="After a procedure: when to get emergency help")

    assert card.is_visible()
    assert "100.4 °F (38 °C)" in card.inner_text()
    afterwards = page.locator("#afterwards").bounding_box()
    assert card.bounding_box()["y"] > afterwards["y"]
    risks = page.locator("#risks").bounding_box()
    assert card.bounding_box()["y"] < risks["y"]
