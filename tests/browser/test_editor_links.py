"""The section editor as a CMS editor expects it, in Chromium: the link button finds our pages
in the article's language and inserts the address, the image button inserts one of the
article's images, Enter continues and ends lists and renumbers them, Ctrl+Z undoes the
toolbar, the preview says when it is updating; links to other languages are refused on save,
the checklist names a link to an unpublished page; and the article lists fit a 1,280 px
laptop screen."""

import re

import pytest
from playwright.sync_api import expect

from conditions.models import ArticleImage
from tests.browser.viewports import DESKTOP, PHONE
from tests.conditions.staff import REVIEWERS, staff_user
from tests.factories import ConditionFactory, TreatmentFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def article(site):
    condition = ConditionFactory(title="Zonal knee pain", status="draft", overview="Rest helps.")
    ArticleImage.objects.create(
        article=condition,
        section="anatomy",
        static_file="img/diagrams/cluneal-nerves.svg",
        width=820,
        height=520,
        alt="Diagram of the cluneal nerves",
    )
    return condition


@pytest.fixture
def open_page(new_context, sign_in, csp):
    """open_page(path, viewport=DESKTOP, **context options) -> a page signed in as a medical
    reviewer, with CSP violations and console errors recorded."""

    def _open(path, viewport=DESKTOP, **options):
        context = new_context(viewport=viewport, **options)
        csp.watch(context)
        sign_in(context, staff_user(REVIEWERS, username="reviewer"))
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        response = page.goto(path)
        assert response.status == 200
        return page

    return _open


def change_path(article):
    return f"/admin/conditions/condition/{article.pk}/change/"


def overview(page):
    return page.locator('.app-editor[data-section="overview"]')


def test_the_link_button_finds_a_page_in_the_articles_language_and_inserts_its_address(
    open_page, article, axe, csp
):
    TreatmentFactory(title="Zephyr freezing", slug="zephyr-freezing")
    TreatmentFactory(title="Congelación zephyr", slug="congelacion-zephyr", language="es")
    page = open_page(change_path(article), bypass_csp=False)
    editor = overview(page)
    text = editor.locator("textarea")
    text.fill("Try freezing the nerve.")
    text.focus()
    page.keyboard.press("Control+End")

    editor.get_by_role("button", name="Link", exact=True).click()
    dialog = page.get_by_role("dialog", name="Link to one of our pages")
    expect(dialog).to_be_visible()
    search = dialog.get_by_label("Find a page by words of its title")
    expect(search).to_be_focused()
    search.fill("zephyr")
    choices = dialog.locator(".app-picker__choice")
    expect(choices).to_have_count(1)  # the Spanish page is not offered
    expect(choices).to_contain_text("Zephyr freezing")
    expect(choices).to_contain_text("Treatment · Published · /treatments/zephyr-freezing/")
    expect(dialog.get_by_role("status")).to_have_text("Pages found: 1")
    choices.click()

    expect(dialog).to_be_hidden()
    expect(text).to_be_focused()
    expect(text).to_have_value(
        "Try freezing the nerve.[Zephyr freezing](/treatments/zephyr-freezing/)"
    )
    expect(editor.locator(".app-editor__preview a")).to_have_attribute(
        "href", "/treatments/zephyr-freezing/"
    )
    assert csp.violations(page) == []
    assert page.console_errors == []


def test_the_link_button_links_the_selected_words_and_works_from_the_keyboard(
    open_page, article, axe
):
    TreatmentFactory(title="Zephyr freezing", slug="zephyr-freezing")
    page = open_page(change_path(article))
    editor = overview(page)
    text = editor.locator("textarea")
    text.fill("Try freezing.")
    text.focus()
    text.evaluate("t => t.setSelectionRange(4, 12)")  # "freezing"
    page.keyboard.press("Control+K")
    dialog = page.get_by_role("dialog", name="Link to one of our pages")
    expect(dialog).to_be_visible()
    # The selected words start the search; Enter takes the first page found.
    search = dialog.get_by_label("Find a page by words of its title")
    expect(search).to_have_value("freezing")
    expect(dialog.locator(".app-picker__choice").first).to_contain_text("Zephyr freezing")
    violations = axe.ours(page)
    assert violations == [], axe.format(violations, "link picker")
    page.keyboard.press("Enter")
    expect(text).to_have_value("Try [freezing](/treatments/zephyr-freezing/).")

    # Escape closes the dialog and changes nothing.
    page.keyboard.press("Control+K")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(text).to_be_focused()
    expect(text).to_have_value("Try [freezing](/treatments/zephyr-freezing/).")

    # From the toolbar: Shift+Tab, End (the Image button), the arrow to Link, Enter.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("End")
    expect(editor.get_by_role("button", name="Image", exact=True)).to_be_focused()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()


def test_a_link_to_another_website_is_still_written_by_hand(open_page, article):
    page = open_page(change_path(article))
    editor = overview(page)
    text = editor.locator("textarea")
    text.fill("Rest")
    text.focus()
    page.keyboard.press("Control+A")
    page.keyboard.press("Control+K")
    dialog = page.get_by_role("dialog", name="Link to one of our pages")
    dialog.get_by_role("button", name="Link to another website instead").click()
    expect(dialog).to_be_hidden()
    expect(text).to_have_value("[Rest](url)")


def test_the_image_button_inserts_one_of_the_articles_images(open_page, article, axe):
    page = open_page(change_path(article))
    editor = overview(page)
    text = editor.locator("textarea")
    text.focus()
    page.keyboard.press("Control+End")
    editor.get_by_role("button", name="Image", exact=True).click()
    dialog = page.get_by_role("dialog", name="Insert one of this page’s images")
    expect(dialog).to_be_visible()
    violations = axe.ours(page)
    assert violations == [], axe.format(violations, "image picker")
    dialog.get_by_role("button", name="Diagram of the cluneal nerves").click()
    expect(text).to_have_value(
        "Rest helps.\n\n![Diagram of the cluneal nerves](/static/img/diagrams/cluneal-nerves.svg)\n"
    )
    image = editor.locator(".app-editor__preview img")
    expect(image).to_have_attribute("alt", "Diagram of the cluneal nerves")
    loaded = "img => img.complete && img.naturalWidth > 0"
    page.wait_for_function(loaded, arg=image.element_handle())


def test_enter_continues_and_ends_lists_and_numbered_lists_renumber(open_page, article):
    page = open_page(change_path(article))
    editor = overview(page)
    text = editor.locator("textarea")
    text.fill("")
    text.press_sequentially("- rest\n")
    expect(text).to_have_value("- rest\n- ")
    text.press_sequentially("walk\n")
    expect(text).to_have_value("- rest\n- walk\n- ")
    page.keyboard.press("Enter")  # on an empty item: the list ends, with a blank line
    expect(text).to_have_value("- rest\n- walk\n\n")
    text.press_sequentially("Then call us.")
    expect(editor.locator(".app-editor__preview ul li")).to_have_text(["rest", "walk"])
    expect(editor.locator(".app-editor__preview p")).to_have_text("Then call us.")

    text.fill("1. Ice\n2. Heat\n3. Walk")
    text.evaluate("t => t.setSelectionRange(6, 6)")  # after "Ice"
    page.keyboard.press("Enter")
    expect(text).to_have_value("1. Ice\n2. \n3. Heat\n4. Walk")
    page.keyboard.type("Rest")
    expect(editor.locator(".app-editor__preview ol li")).to_have_text(
        ["Ice", "Rest", "Heat", "Walk"]
    )
    # Shift+Enter is a plain new line, inside the item.
    page.keyboard.press("Shift+Enter")
    expect(text).to_have_value("1. Ice\n2. Rest\n\n3. Heat\n4. Walk")


def test_ctrl_z_undoes_a_toolbar_change_and_a_list_continuation(open_page, article):
    page = open_page(change_path(article))
    editor = overview(page)
    text = editor.locator("textarea")
    text.fill("Rest")
    text.focus()
    page.keyboard.press("Control+A")
    editor.get_by_role("button", name="Bold").click()
    expect(text).to_have_value("**Rest**")
    text.focus()
    page.keyboard.press("Control+Z")
    expect(text).to_have_value("Rest")
    page.keyboard.press("Control+Shift+Z")  # and redo
    expect(text).to_have_value("**Rest**")

    text.fill("1. Ice\n2. Walk")
    text.evaluate("t => t.setSelectionRange(6, 6)")
    page.keyboard.press("Enter")
    expect(text).to_have_value("1. Ice\n2. \n3. Walk")
    page.keyboard.press("Control+Z")  # the new item and the renumbering go in one step
    expect(text).to_have_value("1. Ice\n2. Walk")


def test_the_preview_shows_that_it_is_updating(open_page, article, wait_until):
    page = open_page(change_path(article))
    editor = overview(page)
    held = []
    page.route("**/admin/conditions/condition/preview/", lambda route: held.append(route))
    editor.locator("textarea").fill("The nerve hurts. Rest helps a lot.")
    busy = editor.locator(".app-editor__busy")
    expect(busy).to_be_visible()
    expect(busy).to_have_text("Updating the preview…")
    expect(editor).to_have_attribute("data-state", "updating")
    expect(editor.locator(".app-editor__preview")).to_have_attribute("aria-busy", "true")
    # The page says "updating" as it sends the request; the route reports holding it a moment
    # later, through Playwright's events (which only a Playwright call lets in, not a sleep).
    wait_until(
        lambda: held,
        timeout=10,
        what="the preview's request to reach the route",
        pause=lambda seconds: page.wait_for_timeout(seconds * 1000),
    )
    held[0].continue_()
    expect(busy).to_be_hidden()
    expect(editor.locator(".app-editor__preview")).to_have_text(
        "The nerve hurts. Rest helps a lot."
    )
    expect(editor.locator(".app-editor__preview")).to_have_attribute("aria-busy", "false")


def test_an_english_condition_linking_a_spanish_page_is_not_saved(open_page, article):
    TreatmentFactory(title="Congelación zephyr", slug="congelacion-zephyr", language="es")
    page = open_page(change_path(article))
    editor = overview(page)
    editor.locator("textarea").fill("See [freezing](/es/tratamientos/congelacion-zephyr/).")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator(".errorlist").first).to_have_text(
        "This page is in English, so it can link only to pages in English. Remove "
        "“Congelación zephyr” (Spanish), or link its English version."
    )
    article.refresh_from_db()
    assert article.overview == "Rest helps."


def test_the_checklist_lists_a_link_to_an_unpublished_page(open_page, article):
    TreatmentFactory(title="Zephyr freezing", slug="zephyr-freezing", status="draft")
    article.overview = "See [freezing](/treatments/zephyr-freezing/)."
    article.save()
    page = open_page(change_path(article))
    item = page.locator(".app-checklist__item--missing", has_text="Links to our pages")
    expect(item).to_contain_text("“Zephyr freezing” (/treatments/zephyr-freezing/): not published")


@pytest.mark.parametrize("kind", ["condition", "treatment", "guide", "urgentadvice"])
def test_the_article_lists_fit_a_laptop_screen_with_every_column(open_page, site, kind, axe):
    page = open_page(f"/admin/conditions/{kind}/")
    table = page.locator("#result_list")
    expect(table).to_be_visible()
    headers = [h.strip().lower() for h in table.locator("thead th").all_inner_texts()]
    for wanted in ("next review due", "language", "in line with english?"):
        assert any(wanted in h.replace("\n", " ") for h in headers), (wanted, headers)
    for header in table.locator("thead th").all():
        box = header.bounding_box()
        assert box["x"] + box["width"] <= DESKTOP["width"]
    sizes = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth,"
        " document.querySelector('.results').scrollWidth,"
        " document.querySelector('.results').clientWidth]"
    )
    assert sizes[0] <= sizes[1], f"the page scrolls sideways: {sizes}"
    assert sizes[2] <= sizes[3], f"the table scrolls sideways: {sizes}"
    violations = axe.ours(page)
    assert violations == [], axe.format(violations, f"{kind} list")


def test_the_article_list_on_a_phone_scrolls_the_table_only(open_page, site):
    page = open_page("/admin/conditions/condition/", viewport=PHONE)
    expect(page.locator("#result_list")).to_be_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, "the whole page scrolls sideways on a phone"
    assert re.search(r"next review", page.locator("#result_list thead").inner_text(), re.I)
