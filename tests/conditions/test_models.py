"""The article models: unique addresses, published() and sections rendered on save."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conditions.models import Article, Condition, Guide, Treatment
from conditions.readability import reading_ease, reading_grade
from tests.factories import ConditionFactory, GuideFactory, TreatmentFactory

pytestmark = pytest.mark.django_db

FACTORIES = [ConditionFactory, TreatmentFactory, GuideFactory]


@pytest.mark.parametrize("factory", FACTORIES)
def test_a_duplicate_slug_is_a_clear_form_error_not_a_crash(factory):
    factory(slug="same-address")
    duplicate = factory.build(slug="same-address")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "slug" in error.value.message_dict


@pytest.mark.parametrize("model", [Condition, Treatment, Guide])
def test_published_means_marked_published_and_its_time_has_come(model):
    factory = {Condition: ConditionFactory, Treatment: TreatmentFactory, Guide: GuideFactory}[model]
    now = timezone.now()
    hour = timezone.timedelta(hours=1)
    live = factory(status=Article.Status.PUBLISHED, publish_at=now - hour)
    others = [
        factory(status=Article.Status.PUBLISHED, publish_at=now + hour),  # scheduled
        factory(status=Article.Status.DRAFT, publish_at=now - hour),  # a draft, time passed
        factory(status=Article.Status.DRAFT, publish_at=now + hour),
    ]
    mine = model.objects.filter(pk__in=[live.pk, *(o.pk for o in others)])
    assert list(mine.published()) == [live]
    assert live.is_published and not any(other.is_published for other in others)


def test_sections_are_rendered_to_html_when_saved_and_empty_ones_are_left_out():
    condition = ConditionFactory(overview="Some **bold** words.", anatomy="", causes="- one")
    sections = condition.written_sections()
    assert [s["id"] for s in sections] == ["overview", "symptoms", "causes"]
    assert condition.overview_html == "<p>Some <strong>bold</strong> words.</p>"
    condition.overview = "Changed."
    condition.save()
    condition.refresh_from_db()
    assert condition.overview_html == "<p>Changed.</p>"


def test_the_reading_grade_is_scored_when_saved():

    condition = ConditionFactory(overview="Short words. Easy to read.")
    easy = condition.reading_grade_score
    assert easy == reading_grade(condition.section_text())
    condition.overview = (
        "Neuropathic manifestations notwithstanding, interventional radiofrequency "
        "neurotomy constitutes an efficacious therapeutic consideration for refractory cases."
    )
    condition.save()
    assert condition.reading_grade_score == reading_grade(condition.section_text()) > easy


def test_a_spanish_page_is_scored_in_spanish_when_saved():
    """Fernández-Huerta reading ease for a Spanish row, and no English grade (and back)."""
    condition = ConditionFactory(language="es", overview="El nervio duele. Descanse un poco.")
    assert condition.reading_ease_score == reading_ease(condition.section_text())
    assert condition.reading_grade_score is None

    condition.language = "en"
    condition.save()
    assert condition.reading_grade_score == reading_grade(condition.section_text())
    assert condition.reading_ease_score is None


@pytest.mark.parametrize("model", [Condition, Treatment, Guide])
def test_the_librarys_english_articles_are_stored_with_a_reading_grade_of_8_or_lower(model):
    """The library as `load_content` saved it: every English row has its grade stored, within
    the site's aim, and no Spanish reading ease."""
    articles = list(model.objects.in_language("en"))
    assert articles, f"the library holds no English {model.__name__}"
    for article in articles:
        assert 0 < article.reading_grade_score <= 8, article
        assert article.reading_ease_score is None, article
