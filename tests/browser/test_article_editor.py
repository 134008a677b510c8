"""The section editors on the article change form, in Chromium: typing updates the preview and
the highlighted sentence, the toolbar works from the keyboard, the admin's CSP holds, axe finds
nothing of ours, and with JavaScript off the form saves as before."""

import re

import pytest
from playwright.sync_api import expect

from conditions.models import Condition
from tests.conditions.staff import REVIEWERS, staff_user
from tests.factories import ConditionFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LONG = (
    "We will utilize a small needle near the top of the hip bone and then wait for a short "
    "time before we check how the pain feels."
)


@pytest.fixture
def article(site):
    return ConditionFactory(status="draft", overview="The nerve hurts. Rest helps.")


@pytest.fixture
def open_form(new_context, sign_in, csp, article):
    """open_form(**context options) -> a page on the article's change form, signed in as a
    medical reviewer, with CSP violations and console errors recorded."""

    def _open(**options):
        context = new_context(viewport={"width": 1280, "height": 900}, **options)
        csp.watch(context)
        sign_in(context, staff_user(REVIEWERS, username="reviewer"))
        page = context.new_page()
        page.console_errors = []
        page.on(
            "console",
            lambda m: m.type == "error" and page.console_errors.append(m.text),
        )
        response = page.goto(f"/admin/conditions/condition/{article.pk}/change/")
        assert response.status == 200
        return page

    return _open


def overview(page):
    return page.locator('.app-editor[data-section="overview"]')


def test_typing_updates_the_preview_and_highlights_the_long_sentence_under_the_csp(open_form, csp):
    page = open_form(bypass_csp=False)
    editor = overview(page)
    expect(editor).to_have_attribute("data-state", "ready")
    preview = editor.locator(".app-editor__preview")
    expect(preview).to_have_text("The nerve hurts. Rest helps.")

    text = editor.locator("textarea")
    text.click()
    page.keyboard.press("Control+End")
    text.press_sequentially(f"\n\n{LONG}")

    expect(preview.locator("mark.app-flag--word")).to_have_text(["utilize"])
    marked = "".join(preview.locator("mark.app-flag").all_inner_texts())
    assert marked == LONG
    expect(preview.locator("p")).to_have_count(2)
    expect(editor.locator(".app-editor__report")).to_contain_text("“utilize”: try “use”.")
    expect(editor.get_by_role("status")).to_have_text(
        re.compile(r"^Reading grade [\d.]+: .* 1 sentence to look at\.$")
    )

    # Shortened again: the mark goes with the sentence.
    text.fill("The nerve hurts. We use a small needle.")
    expect(preview).to_have_text("The nerve hurts. We use a small needle.")
    expect(preview.locator("mark")).to_have_count(0)
    expect(editor.get_by_role("status")).to_contain_text("No long sentences or hard words.")

    assert csp.violations(page) == []
    assert page.console_errors == []


def test_the_toolbar_works_from_the_keyboard(open_form):
    page = open_form()
    editor = overview(page)
    toolbar = editor.get_by_role("toolbar", name="Formatting for Overview")
    expect(toolbar).to_be_visible()
    text = editor.locator("textarea")
    text.fill("Rest")
    text.focus()
    page.keyboard.press("Control+A")

    # Shift+Tab leaves the text box for the toolbar, whose first button takes the focus;
    # the arrow keys move along it, Enter presses.
    page.keyboard.press("Shift+Tab")
    expect(toolbar.get_by_role("button", name="Heading")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(toolbar.get_by_role("button", name="Bold")).to_be_focused()
    page.keyboard.press("Enter")
    expect(text).to_have_value("**Rest**")
    expect(editor.locator(".app-editor__preview strong")).to_have_text("Rest")

    # Space presses too, and End jumps to the last button.
    text.fill("Rest\nWalk")
    text.focus()
    page.keyboard.press("Control+A")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("End")
    expect(toolbar.get_by_role("button", name="Image")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(toolbar.get_by_role("button", name="Link")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(toolbar.get_by_role("button", name="Numbered list")).to_be_focused()
    page.keyboard.press(" ")
    expect(text).to_have_value("1. Rest\n2. Walk")
    expect(editor.locator(".app-editor__preview ol li")).to_have_text(["Rest", "Walk"])


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ("Control+B", "**Rest**"),
        ("Control+Shift+H", "### Rest"),
        ("Control+Shift+Digit8", "- Rest"),
        ("Control+Shift+Digit7", "1. Rest"),
    ],
)
def test_keyboard_shortcuts_write_the_markdown(open_form, keys, expected):
    # Ctrl+K opens the link picker: tests/browser/test_editor_links.py.
    page = open_form()
    text = overview(page).locator("textarea")
    text.fill("Rest")
    text.focus()
    page.keyboard.press("Control+A")
    page.keyboard.press(keys)
    expect(text).to_have_value(expected)


def test_axe_finds_nothing_of_ours_on_the_change_form_as_it_updates(open_form, axe):
    page = open_form()
    editor = overview(page)
    editor.locator("textarea").fill(f"### Where\n\n{LONG}\n\n- one\n- two")
    expect(editor.locator(".app-editor__preview mark.app-flag").first).to_be_visible()
    violations = axe.ours(page)
    assert violations == [], axe.format(violations, "article change form")


def test_with_javascript_off_the_form_saves_as_before(open_form, article):
    page = open_form(java_script_enabled=False, bypass_csp=False)
    editor = overview(page)
    expect(editor.get_by_role("toolbar")).to_have_count(0)  # hidden: it would do nothing
    expect(editor.locator(".app-editor__preview")).to_have_text("The nerve hurts. Rest helps.")
    editor.locator("textarea").fill("The nerve hurts.\n\nRest helps. Walking helps too.")
    page.get_by_role("button", name="Save and continue editing").first.click()

    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    saved = Condition.objects.get(pk=article.pk)
    # Browsers send a text box's line breaks as CRLF.
    assert (
        saved.overview.replace("\r\n", "\n") == "The nerve hurts.\n\nRest helps. Walking helps too."
    )
    assert saved.status == "draft"
    expect(overview(page).locator(".app-editor__preview p")).to_have_count(2)
