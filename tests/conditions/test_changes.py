"""conditions/changes.py: what a draft changes against the live version, section by section,
in the words a reader sees."""

from difflib import SequenceMatcher

import pytest
from bs4 import BeautifulSoup

from conditions.changes import (
    BoundedMatcher,
    OverBudget,
    changes_against,
    live_version,
    opcodes,
    word_diff,
    words,
)
from conditions.models import Article
from tests.conditions.hostile import assert_inert
from tests.conditions.worst_inputs import DIFFS, finishes
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


# A bounded comparison -----------------------------------------------------------------------------


def test_within_its_budget_the_diff_is_difflibs_own():
    old = words(LIVE_OVERVIEW + " Rest helps. It may take weeks.")
    new = words("The nerve is squeezed near the hip. It causes pain. Rest helps a lot.")
    ops, word_by_word = opcodes(old, new)
    assert word_by_word
    assert ops == SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes()


def test_past_its_budget_the_matcher_gives_up_before_doing_the_work():
    old, new = ["pain"] * 400, ["pain", "x"] * 200
    matcher = BoundedMatcher(old, new, budget=1000)
    with pytest.raises(OverBudget):
        matcher.get_opcodes()
    assert matcher.budget < 0  # charged, and stopped, before the first search ran


def test_past_its_budget_the_shared_start_and_end_are_kept_and_the_middle_compared_again():
    start, end = ["Intro", "words."], ["Closing", "words."]
    old = start + ["pain"] * 300 + end
    new = start + ["pain", "x"] * 150 + ["nerve"] + end
    ops, word_by_word = opcodes(old, new, budget=1000)
    assert not word_by_word
    assert ops == [
        ("equal", 0, 3, 0, 3),  # the shared start: "Intro words. pain"
        ("replace", 3, 302, 3, 303),
        ("equal", 302, 304, 303, 305),  # the shared end: "Closing words."
    ]


def test_a_section_of_repeated_words_shows_the_changed_part_whole():
    html, added, removed = word_diff(["pain"] * 3000, ["pain", "x"] * 1500)
    assert (added, removed) == (2999, 2999)  # all but the shared first and last word
    page = BeautifulSoup(html, "html.parser")
    note = page.select_one(".app-diff__note").get_text()
    assert note == "Too many changes to show word by word: the changed part is shown whole."
    assert len(page.select("del")) == len(page.select("ins")) == 1


@pytest.mark.process  # runs the work in a Python process of its own (worst_inputs.finishes)
@pytest.mark.parametrize("name", sorted(DIFFS))
def test_the_worst_diff_found_finishes_at_the_section_limit(name):
    """Both versions as long as a section may be: difflib alone took 6 to 25 s, or minutes."""
    old, new = DIFFS[name]
    printed = finishes(
        "from conditions.changes import word_diff, words\n"
        f"html, added, removed = word_diff(words({old!r}), words({new!r}))\n"
        "print(added, removed)"
    )
    added, removed = map(int, printed.split())
    assert added >= 1
