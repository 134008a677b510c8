"""conditions/checklist.py: the publish checklist lists each missing item, and what it says in
the history."""

import datetime

import pytest

from conditions.checklist import (
    SUMMARY_MAX_CHARS,
    change_reason,
    missing,
    publish_checklist,
    spanish_version_state,
)
from conditions.models import Article, ArticleImage, Reference
from conditions.readability import reading_ease, reading_ease_label
from tests.factories import ConditionFactory, GuideFactory, TreatmentFactory, png

pytestmark = pytest.mark.django_db

EASY = "The nerve hurts. Rest helps. We can help you."
HARD = (
    "Comprehensive multidisciplinary interventional management necessitates individualized "
    "consideration of neurophysiological characteristics and pharmacological contraindications."
)
SUMMARY = "A short, plain summary of what this page is about, for lists and search results."
SUMMARY_ES = "Un resumen corto y claro de lo que trata esta página, para listas y búsquedas."
HARD_ES = (
    "La neuropatía por atrapamiento del nervio cluneal superior constituye una manifestación "
    "infradiagnosticada de lumbalgia crónica inespecífica, particularmente en pacientes "
    "posquirúrgicos."
)


def complete(factory=ConditionFactory, **overrides):
    """An article with everything the checklist asks for (except a Spanish version)."""
    fields = {
        "summary": SUMMARY,
        "reviewed_by": "Dr. Ana Ruiz",
        "last_reviewed_on": datetime.date(2026, 11, 1),
        **overrides,
    }
    article = factory(**fields)
    Reference.objects.create(article=article, title="NICE NG59", publisher="NICE")
    return article


def states(article):
    return {item.key: item.ok for item in publish_checklist(article)}


def test_a_complete_article_misses_only_its_spanish_version():
    article = complete(overview=EASY)
    assert states(article) == {
        "review": True,
        "sources": True,
        "alt": True,
        "links": True,
        "summary": True,
        "reading": True,
        "spanish": False,
    }


@pytest.mark.parametrize("factory", [ConditionFactory, TreatmentFactory, GuideFactory])
def test_every_kind_of_article_gets_the_same_checklist(factory):
    article = complete(factory)
    assert [item.key for item in missing(publish_checklist(article))] == ["spanish"]


@pytest.mark.parametrize(
    ("change", "key", "detail"),
    [
        ({"reviewed_by": ""}, "review", "Published without the reviewer's name."),
        ({"last_reviewed_on": None}, "review", "Published without the review date."),
        (
            {"reviewed_by": " ", "last_reviewed_on": None},
            "review",
            "Published without the reviewer's name and the review date.",
        ),
        ({"summary": ""}, "summary", "No summary."),
        ({"summary": "Too short."}, "summary", "10 characters."),
        ({"summary": "x" * (SUMMARY_MAX_CHARS + 1)}, "summary", "201 characters."),
        ({"overview": HARD}, "reading", "Whole page: reading grade "),
        ({"overview": "", "symptoms": "", "summary": ""}, "reading", "Nothing written yet."),
    ],
)
def test_each_missing_item_is_listed_with_what_is_wrong(change, key, detail):
    article = complete(**change)
    items = {item.key: item for item in publish_checklist(article)}
    assert not items[key].ok
    assert items[key].detail.startswith(detail)


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.IN_REVIEW])
def test_before_publishing_the_review_item_says_publishing_stamps_it(status):
    """Nobody can type the reviewer's name: asking for it would send staff looking for a box."""
    article = complete(status=status, reviewed_by="", last_reviewed_on=None)
    item = {item.key: item for item in publish_checklist(article)}["review"]
    assert item.ok and item.at_publish
    assert item.detail == (
        "Stamped when a medical reviewer publishes: their name and credentials from their "
        "staff account, and the review date."
    )
    assert "Add" not in item.detail
    assert "review" not in [item.key for item in missing(publish_checklist(article))]


def test_a_spanish_page_is_held_to_the_reading_ease_and_shows_its_band():
    easy = complete(language="es", summary=SUMMARY_ES, overview="El nervio duele. Descanse.")
    item = {item.key: item for item in publish_checklist(easy)}["reading"]
    assert item.ok
    label = reading_ease_label(reading_ease(easy.section_text()))
    assert item.detail.startswith(f"Whole page: {label}, within the target of 70 or higher")

    hard = complete(language="es", summary=SUMMARY_ES, overview=HARD_ES)
    item = {item.key: item for item in publish_checklist(hard)}["reading"]
    label = reading_ease_label(reading_ease(hard.section_text()))
    assert not item.ok and label.endswith("difícil)")
    assert item.detail == f"Whole page: {label}, outside the target of 70 or higher."
    assert item.warning == f"hard to read ({label}): Whole page, Overview"


def test_an_article_without_sources_is_missing_one():
    article = complete()
    article.references.all().delete()
    items = {item.key: item for item in publish_checklist(article)}
    assert not items["sources"].ok and items["sources"].detail == "No source listed."


def test_an_image_without_alt_text_is_missing_it():
    article = complete()
    ArticleImage.objects.create(article=article, section="overview", alt="A nerve.", image=png())
    assert states(article)["alt"]
    # Saved around the form (the database refuses an empty one, not a blank one).
    ArticleImage.objects.create(article=article, section="overview", alt="  ", image=png())
    items = {item.key: item for item in publish_checklist(article)}
    assert not items["alt"].ok and items["alt"].detail == "1 image without alt text."


def test_today_no_article_has_a_spanish_version():
    article = complete()
    assert spanish_version_state(article) == "none"
    items = {item.key: item for item in publish_checklist(article)}
    assert items["spanish"].detail == "No Spanish version yet."


def test_the_history_reason_names_every_warning():
    article = complete(reviewed_by="", overview=HARD)
    article.references.all().delete()
    reason = change_reason(publish_checklist(article))
    grade = article.reading_grade_score
    assert reason == (
        "Published with 4 checklist warnings: no reviewer or review date, no source, "
        f"hard to read (reading grade {grade:.1f}): Whole page, Overview, no Spanish version"
    )


def test_the_history_reason_for_one_warning_is_singular():
    assert change_reason(publish_checklist(complete())) == (
        "Published with 1 checklist warning: no Spanish version"
    )
