"""Search in a real browser: suggestions as you type (an ARIA combobox: arrows, Enter,
Escape), results and no-results pages that pass axe-core, the site's CSP kept, and the same
search with JavaScript off."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.vocabulary]

CRYOABLATION = "/treatments/cryoablation/"


def header_box(page):
    return page.get_by_role("search").first.get_by_role("combobox", name="Search this site")


def test_typing_shows_suggestions_and_arrow_keys_and_enter_open_one(new_context, site, axe):
    page = new_context().new_page()
    page.goto("/")
    box = header_box(page)
    box.press_sequentially("cryo")
    listbox = page.get_by_role("listbox")
    listbox.get_by_role("option").first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert "Cryoneurolysis" in listbox.inner_text()
    assert "suggestions. Use the up and down arrows" in page.get_by_role("status").inner_text()
    axe.check(page)  # with the suggestions open
    box.press("ArrowDown")
    first = listbox.get_by_role("option").first
    assert first.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    box.press("ArrowUp")  # wraps to the last
    assert listbox.get_by_role("option").last.get_attribute("aria-selected") == "true"
    box.press("ArrowDown")  # and back to the first
    box.press("Enter")
    page.wait_for_url(f"**{CRYOABLATION}")


def test_escape_closes_the_suggestions_and_enter_then_searches(new_context, site):
    page = new_context().new_page()
    page.goto("/")
    box = header_box(page)
    box.press_sequentially("clun")
    page.get_by_role("listbox").get_by_role("option").first.wait_for()
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert page.get_by_role("listbox").is_hidden()
    box.press("Enter")
    page.wait_for_url("**/search/?q=clun")


def test_results_page_passes_axe_and_announces_the_count(new_context, site, axe):
    page = new_context().new_page()
    page.goto("/search/?q=buttocks")
    heading = page.locator("#search-count")
    assert "found for “buttocks”" in heading.inner_text()
    assert page.locator(".app-search-result mark").count() > 0
    axe.check(page)


def test_no_results_page_passes_axe(new_context, site, axe):
    page = new_context().new_page()
    page.goto("/search/?q=clunial")
    assert page.get_by_role("link", name="cluneal").is_visible()
    axe.check(page)


def test_suggestions_keep_the_sites_csp(csp_context, csp, site):
    page = csp_context.new_page()
    page.goto("/")
    header_box(page).press_sequentially("cryo")
    page.get_by_role("listbox").get_by_role("option").first.wait_for()
    assert csp.violations(page) == []


def test_search_works_with_javascript_off(new_context, site):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/")
    box = page.get_by_role("searchbox", name="Search this site").first
    box.fill("freezing the nerve")
    box.press("Enter")
    page.wait_for_url("**/search/?q=freezing+the+nerve")
    page.locator(".app-search-result a").first.click()
    page.wait_for_url(f"**{CRYOABLATION}")


@pytest.mark.parametrize("path", ["/search/?q=buttocks", "/search/?q=clunial"])
def test_search_pages_reflow_at_320_px(new_context, site, path):
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    page.goto(path)
    scroll_width, client_width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll_width <= client_width
