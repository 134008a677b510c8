"""conditions/forms.py: one length limit for a section, with one message, on the change form
and in the live preview, checked before the text is rendered; and text at the limit, however
hostile, is taken and rendered."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from conditions.forms import SectionTextField
from conditions.models import SECTION_MAX_LENGTH, Article, Condition
from tests.conditions.staff import REVIEWERS, change_form_data, logged_in
from tests.factories import ConditionFactory

pytestmark = pytest.mark.django_db

TOO_LONG = "The text is longer than 20000 characters, the most a section can hold (it has 20001)."


def preview(client, text):
    return client.post(
        reverse("admin:conditions_condition_preview"), {"text": text, "language": "en"}
    )


def draft(**fields):
    """An article its reviewer edits in place (a live page changes through a revision)."""
    return ConditionFactory(status=Article.Status.DRAFT, **fields)


def change_url(article):
    return reverse("admin:conditions_condition_change", args=[article.pk])


def test_the_limit_is_twenty_thousand_characters():
    assert SECTION_MAX_LENGTH == 20000


def test_the_preview_refuses_text_over_the_limit_without_rendering_it(client):
    logged_in(client, REVIEWERS)
    response = preview(client, "**bold** " + "[" * (SECTION_MAX_LENGTH - 8))
    assert response.status_code == 400
    data = response.json()
    assert data["summary"] == TOO_LONG
    assert data["errors"] == [TOO_LONG]
    assert "html" not in data and "preview_html" not in data and "report_html" not in data


def test_saving_a_section_over_the_limit_is_refused_with_the_same_message(client):
    logged_in(client, REVIEWERS)
    article = draft(overview="The saved text.")
    response = client.post(
        change_url(article), change_form_data(article, overview="a" * (SECTION_MAX_LENGTH + 1))
    )
    assert response.status_code == 200  # the form again, with its error
    page = BeautifulSoup(response.content, "html.parser")
    error = page.select_one(".field-overview .errorlist")
    assert error is not None and error.get_text(strip=True) == TOO_LONG
    assert Condition.objects.get(pk=article.pk).overview == "The saved text."


def test_the_form_shown_again_does_not_render_the_text_over_the_limit(client):
    logged_in(client, REVIEWERS)
    article = draft(overview="The saved text.")
    text = "**Not rendered.** " + "[" * SECTION_MAX_LENGTH
    response = client.post(change_url(article), change_form_data(article, overview=text))
    editor = BeautifulSoup(response.content, "html.parser").select_one(
        '.app-editor[data-section="overview"]'
    )
    assert editor.select_one("textarea").get_text().strip("\n") == text  # nothing typed is lost
    assert (
        editor.select_one(".app-editor__status")
        .get_text(strip=True)
        .startswith("The text is longer than 20000 characters")
    )
    assert editor.select_one(".app-editor__preview").get_text(strip=True) == ""


def test_the_text_box_tells_the_browser_the_limit(client):
    logged_in(client, REVIEWERS)
    page = BeautifulSoup(client.get(change_url(draft())).content, "html.parser")
    assert page.select_one("textarea[name=overview]")["maxlength"] == str(SECTION_MAX_LENGTH)


def test_line_breaks_count_once_as_the_browser_counts_them(client):
    """The browser sends each line break as CR LF but counts it once against maxlength."""
    text = "a" * (SECTION_MAX_LENGTH - 2) + "\r\nb"  # 20,001 sent, 20,000 counted
    assert SectionTextField(required=False).clean(text) == text
    with pytest.raises(Exception, match="it has 20001"):
        SectionTextField(required=False).clean(text + "c")
    logged_in(client, REVIEWERS)
    assert preview(client, text).status_code == 200


@pytest.mark.parametrize(
    "text",
    [
        "[" * SECTION_MAX_LENGTH,
        ("*a" * SECTION_MAX_LENGTH)[:SECTION_MAX_LENGTH],
        ("- a\n" * SECTION_MAX_LENGTH)[:SECTION_MAX_LENGTH],
    ],
    ids=["brackets", "emphasis", "list items"],
)
def test_hostile_text_at_the_limit_is_previewed_and_saved(client, text):
    logged_in(client, REVIEWERS)
    assert preview(client, text).status_code == 200
    article = draft(overview="The saved text.")
    response = client.post(change_url(article), change_form_data(article, overview=text))
    assert response.status_code == 302
    assert Condition.objects.get(pk=article.pk).overview == text.strip()
