"""conditions/changes.py: what a draft changes against the live version, section by section,
in the words a reader sees."""

import pytest
from bs4 import BeautifulSoup

from conditions.changes import changes_against, live_version, word_diff, words
from conditions.models import Article
from tests.conditions.hostile import assert_inert
from tests.factories import ConditionFactory

pytestmark = pytest.mark.django_db

LIVE_OVERVIEW = "The nerve is trapped near the hip bone. It causes low back pain."


def published_then_drafted(**draft_changes):
    """A published article (one history record), then moved to draft and edited."""
    article = ConditionFactory(overview=LIVE_OVERVIEW, symptoms="- back pain\n- leg pain")
    article.status = Article.Status.DRAFT
    for name, value in draft_changes.items():
        setattr(article, name, value)
    article.save()
    return article


def by_name(changes):
    return {change.name: change for change in changes}


def test_the_live_version_is_the_newest_one_saved_as_published():
    article = ConditionFactory(overview="First.")
    article.overview = "Second, still live."
    article.save()
    article.status = Article.Status.DRAFT
    article.overview = "Third, a draft."
    article.save()
    assert live_version(article).overview == "Second, still live."


def test_an_article_never_published_has_no_live_version():
    article = ConditionFactory(status=Article.Status.DRAFT)
    assert live_version(article) is None
    assert live_version(ConditionFactory.build()) is None


def test_only_the_sections_that_differ_are_listed_in_page_order():
    article = published_then_drafted(
        overview="The nerve is squeezed near the hip bone. It causes low back pain.",
        symptoms="- back pain\n- leg pain\n- pain when sitting",
        title="A new title",
    )
    changes = changes_against(article, live_version(article))
    assert [c.name for c in changes] == ["title", "overview", "symptoms"]


def test_a_changed_section_shows_removed_and_added_words_in_place():
    article = published_then_drafted(
        overview="The nerve is squeezed near the hip bone. It causes low back pain."
    )
    change = by_name(changes_against(article, live_version(article)))["overview"]
    page = BeautifulSoup(change.diff_html, "html.parser")
    assert change.kind == "changed"
    assert [d.get_text() for d in page.select("del")] == ["Removed: trapped"]
    assert [i.get_text() for i in page.select("ins")] == ["Added: squeezed"]
    assert page.get_text().startswith("The nerve is ")
    assert str(change.summary) == "Changed: 1 word added, 1 removed."


def test_sections_added_or_emptied_say_so_in_plain_words():
    article = published_then_drafted(causes="Sitting a long time.", symptoms="")
    changes = by_name(changes_against(article, live_version(article)))
    assert changes["causes"].kind == "added"
    assert str(changes["causes"].summary).startswith("Added:")
    assert changes["symptoms"].kind == "removed"
    assert str(changes["symptoms"].summary).startswith("Removed:")
    removed = BeautifulSoup(changes["symptoms"].diff_html, "html.parser").select_one("del")
    assert "back pain" in removed.get_text()


def test_a_change_of_markdown_only_is_named_as_formatting():
    article = published_then_drafted(
        overview="The **nerve** is trapped near the [hip bone](https://example.org). "
        "It causes low back pain."
    )
    change = by_name(changes_against(article, live_version(article)))["overview"]
    assert change.kind == "formatting"
    assert change.added == change.removed == 0


def test_words_are_what_a_reader_sees_with_breaks_between_blocks():
    assert words("### Rest\n\n**Rest** helps. See [us](https://example.org).") == [
        "Rest.",
        "\n",
        "Rest",
        "helps.",
        "See",
        "us.",
    ]


def test_long_unchanged_runs_are_shortened_to_their_ends():
    old = [f"w{i}" for i in range(60)]
    new = [*old, "added"]
    html, added, removed = word_diff(old, new)
    text = BeautifulSoup(html, "html.parser").get_text()
    assert (added, removed) == (1, 0)
    assert "w0" in text and "w59" in text and "w30 " not in text and "[…]" in text


def test_hostile_text_in_either_version_is_escaped():
    article = published_then_drafted(overview="<img src=x onerror=alert(1)> & <b>bold</b>")
    change = by_name(changes_against(article, live_version(article)))["overview"]
    assert_inert(str(change.diff_html))
    assert "<img" not in str(change.diff_html)
