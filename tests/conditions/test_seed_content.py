"""The launch articles and the urgent advice seeded by migrations exist, say what the brief
says, and read easily."""

import importlib

import pytest
from django.apps import apps

from conditions.markdown import render_markdown
from conditions.models import Condition, Guide, Treatment, UrgentAdvice
from conditions.readability import (
    reading_grade,
    section_grades,
)
from tests.brief import CALL_911, CALL_THE_CLINIC, EVERY_SIGN, SAME_DAY

MAX_GRADE = 8

CONDITION_SLUG = "cluneal-nerve-entrapment"
GUIDE_SLUG = "treating-back-and-neck-pain-without-surgery"
TREATMENT_SLUGS = {
    "conservative-care",
    "image-guided-nerve-injections",
    "cryoablation",
    "peripheral-nerve-stimulation",
}
SEEDED = [
    (Condition, CONDITION_SLUG),
    (Guide, GUIDE_SLUG),
    *[(Treatment, slug) for slug in sorted(TREATMENT_SLUGS)],
]
SEEDED_IDS = [slug for _model, slug in SEEDED]


def seeded(model, slug):
    return model.objects.get(slug=slug)


def condition():
    return seeded(Condition, CONDITION_SLUG)


def guide():
    return seeded(Guide, GUIDE_SLUG)


def words(text):
    """Text with its line breaks and runs of spaces made single spaces, for phrase checks."""
    return " ".join(text.split())


# --- The articles exist and are public ---------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "slug"), SEEDED, ids=SEEDED_IDS)
def test_seeded_article_is_published_after_migrate(model, slug):
    assert model.objects.published().filter(slug=slug).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "slug"), SEEDED, ids=SEEDED_IDS)
def test_seeded_article_names_no_reviewer(model, slug):
    """The brief names no clinician: staff enter the reviewer, so nothing is made up."""
    article = seeded(model, slug)
    assert article.reviewed_by == ""
    assert article.reviewer_credentials == ""
    assert article.last_reviewed_on is None


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "slug"), SEEDED, ids=SEEDED_IDS)
def test_every_section_of_a_seeded_article_is_written_and_rendered(model, slug):
    article = seeded(model, slug)
    assert article.summary
    for name, _heading in model.SECTIONS:
        text = getattr(article, name)
        assert text.strip(), name
        assert getattr(article, f"{name}_html") == render_markdown(text), name


@pytest.mark.django_db
def test_running_the_seed_again_updates_the_articles_instead_of_adding_copies():
    migration = importlib.import_module("conditions.migrations.0002_seed_articles")
    before = (Condition.objects.count(), Guide.objects.count(), Treatment.objects.count())

    migration.seed_articles(apps, schema_editor=None)

    assert (Condition.objects.count(), Guide.objects.count(), Treatment.objects.count()) == before
    assert condition().treatments.count() == len(TREATMENT_SLUGS)


# --- They say what the brief says --------------------------------------------------------------


@pytest.mark.django_db
def test_condition_overview_compares_it_to_carpal_tunnel_and_gives_how_common_it_is():
    overview = words(condition().overview)
    assert "carpal tunnel syndrome" in overview
    assert "often missed" in overview
    assert "2 to 14 of every 100 people with low back pain" in overview
    assert "Isu 2018" in overview
    assert "Kuniya 2014" in overview


@pytest.mark.django_db
def test_condition_names_the_three_nerve_groups_and_where_each_runs():
    anatomy = words(condition().anatomy)
    for group in ("Superior", "Middle", "Inferior"):
        assert f"### {group}" in condition().anatomy, group
    assert "gluteal cutaneous nerves" in anatomy
    # Superior: from L1 to L3, over the iliac crest, through the tunnel under the fascia.
    assert "L1 to L3" in anatomy
    assert "iliac crest" in anatomy
    assert "7 to 8 cm" in anatomy
    assert "thoracolumbar fascia" in anatomy
    # Middle: from the sacrum, under the long posterior sacroiliac ligament.
    assert "S1 to S3" in anatomy
    assert "long posterior sacroiliac ligament" in anatomy
    # Inferior: from the posterior femoral cutaneous nerve, around the buttock muscle.
    assert "posterior femoral cutaneous nerve" in anatomy
    assert "feeling, not movement" in anatomy
    assert "do not get weak" in anatomy


@pytest.mark.django_db
def test_condition_symptoms_cover_leg_pain_activity_and_the_tender_spot():
    symptoms = words(condition().symptoms)
    for phrase in ("both sides", "below the knee", "sciatica", "when you rest", "sit for a long"):
        assert phrase in symptoms, phrase
    assert "sore when pressed" in symptoms
    assert "taps on that sore spot" in symptoms


@pytest.mark.django_db
def test_condition_describes_each_diagnosis_step():
    diagnosis = words(condition().diagnosis)
    # Physical exam: sitting, trigger points, pressing over the iliac crest, history.
    assert "sit for a long time" in diagnosis
    assert "trigger points" in diagnosis
    assert "iliac crest" in diagnosis
    assert "brings on your usual pain" in diagnosis
    assert "pain in your low back and upper buttock" in diagnosis
    # A numbing injection that relieves the pain supports the diagnosis.
    assert "local anesthetic" in diagnosis
    assert "supports the diagnosis" in diagnosis
    # Imaging: ultrasound shows the nerve; X-ray, MRI and CT rule out other causes.
    assert "**Ultrasound**" in diagnosis
    assert "X-ray, MRI and CT scans" in diagnosis
    assert "rule out other causes" in diagnosis


@pytest.mark.django_db
def test_condition_lists_the_four_treatment_options_and_links_each_page():
    article = condition()
    options = words(article.treatment_options)

    assert set(article.treatments.values_list("slug", flat=True)) == TREATMENT_SLUGS
    for slug in TREATMENT_SLUGS:
        assert f'href="/treatments/{slug}/"' in article.treatment_options_html, slug
    for phrase in ("not opioids", "physical therapy", "chiropractic care", "acupuncture"):
        assert phrase in options, phrase
    for phrase in ("landmarks", "ultrasound", "fluoroscopy", "freezes the nerve", "sterile"):
        assert phrase in options, phrase
    assert "stimulator is placed across the top ridge of the hip bone" in options


@pytest.mark.django_db
def test_condition_is_honest_about_the_research():
    options = words(condition().treatment_options)
    assert "radiofrequency ablation" in options
    assert "surgery to free the trapped nerve" in options
    assert "small studies" in options
    assert "little research" in options
    assert "investigational" in options


@pytest.mark.django_db
def test_condition_has_short_labels_for_search_engines():
    article = condition()
    assert article.anatomy_label.startswith("Cluneal nerves")
    assert "Low back pain" in article.symptom_list()
    assert {"Ultrasound", "X-ray", "MRI", "CT scan"} <= set(article.test_list())


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "slug"), [(Condition, CONDITION_SLUG), (Guide, GUIDE_SLUG)])
def test_when_to_get_help_points_to_the_urgent_advice_instead_of_repeating_it(model, slug):
    article = seeded(model, slug)
    text = words(article.when_to_get_help)
    assert 'href="/urgent-help/"' in article.when_to_get_help_html
    for sign in EVERY_SIGN:
        assert sign not in text, sign


@pytest.mark.django_db
def test_the_seeded_urgent_advice_says_everything_the_brief_says():
    advice = UrgentAdvice.objects.current()
    assert advice.slug == "urgent-help"
    emergency, same_day, clinic = (words(getattr(advice, name)) for name in advice.SECTION_NAMES)
    for sign in CALL_911:
        assert sign in emergency, sign
    for sign in SAME_DAY:
        assert sign in same_day, sign
    for sign in CALL_THE_CLINIC:
        assert sign in clinic, sign
    assert advice.reading_grade_score <= 8
    assert advice.history.exists()


@pytest.mark.django_db
def test_guide_links_every_treatment_and_the_condition():
    article = guide()
    assert set(article.treatments.values_list("slug", flat=True)) == TREATMENT_SLUGS
    assert list(article.related_conditions.values_list("slug", flat=True)) == [CONDITION_SLUG]
    for slug in TREATMENT_SLUGS:
        assert f'href="/treatments/{slug}/"' in article.options_html, slug


@pytest.mark.django_db
def test_guide_covers_self_care_finding_the_cause_and_when_surgery_is_considered():
    article = guide()
    assert "often comes back" in words(article.overview)
    assert "Keep moving" in article.self_care
    assert "test injection" in article.finding_the_cause
    options = words(article.options)
    for phrase in ("Epidural injections", "Joint injections", "Radiofrequency ablation"):
        assert phrase in options, phrase
    surgery = words(article.surgery)
    assert "signs of nerve damage" in surgery
    assert "choice you make with a surgeon" in surgery


@pytest.mark.django_db
def test_cryoablation_page_says_the_research_is_thin():
    text = words(seeded(Treatment, "cryoablation").what_it_is)
    assert "little research" in text
    assert "investigational" in text


# --- They read at grade 8 or lower -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "slug"), SEEDED, ids=SEEDED_IDS)
def test_seeded_article_reads_at_grade_8_or_lower(model, slug):
    assert reading_grade(seeded(model, slug).section_text()) <= MAX_GRADE


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "slug"), SEEDED, ids=SEEDED_IDS)
def test_each_section_of_a_seeded_article_reads_at_grade_8_or_lower(model, slug):
    grades = section_grades(seeded(model, slug))
    assert set(grades) == {"summary", *(name for name, _heading in model.SECTIONS)}
    too_hard = {name: round(grade, 1) for name, grade in grades.items() if grade > MAX_GRADE}
    assert not too_hard


# --- The pages show them -----------------------------------------------------------------------


@pytest.mark.django_db
def test_condition_page_shows_every_section_heading_and_the_nerve_groups(client):
    response = client.get(f"/conditions/{CONDITION_SLUG}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Cluneal nerve entrapment" in html
    for _name, heading in Condition.SECTIONS:
        assert f">{heading}</h2>" in html, heading
    assert "<h3>Superior (upper) cluneal nerves</h3>" in html
    assert "<h3>Middle cluneal nerves</h3>" in html
    assert "<h3>Inferior (lower) cluneal nerves</h3>" in html
    for slug in TREATMENT_SLUGS:
        assert f'href="/treatments/{slug}/"' in html, slug


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [f"/guides/{GUIDE_SLUG}/", *[f"/treatments/{slug}/" for slug in sorted(TREATMENT_SLUGS)]],
)
def test_other_seeded_pages_answer_200(client, url):
    assert client.get(url).status_code == 200


# --- conditions/readability.py -----------------------------------------------------------------
