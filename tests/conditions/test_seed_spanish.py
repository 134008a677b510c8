"""The Spanish launch content seeded by migration 0014: each Spanish row is its own published,
unreviewed article linked to its English original, says what the brief says, and reads at
Fernández-Huerta 70 or easier."""

import importlib
import re

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from conditions.markdown import render_markdown
from conditions.models import Condition, Guide, Reference, Treatment, UrgentAdvice
from conditions.readability import (
    READING_EASE_TARGET,
    reading_ease,
    reading_ease_label,
    section_scores,
)
from tests.brief import (
    CALL_911_ES,
    CALL_THE_CLINIC_ES,
    CLINIC_CALL_ES,
    EMERGENCY_ES,
    EVERY_SIGN_ES,
    SAME_DAY_CALL_ES,
    SAME_DAY_ES,
)

pytestmark = pytest.mark.django_db

MIGRATION = "0014_seed_spanish"
seed_migration = importlib.import_module(f"conditions.migrations.{MIGRATION}")

CONDITION = ("atrapamiento-del-nervio-cluneal", "cluneal-nerve-entrapment")
GUIDE = ("dolor-de-espalda-y-cuello-sin-cirugia", "treating-back-and-neck-pain-without-surgery")
TREATMENTS = {
    "tratamiento-conservador": "conservative-care",
    "inyecciones-guiadas-por-imagen": "image-guided-nerve-injections",
    "crioablacion": "cryoablation",
    "estimulacion-de-nervios-perifericos": "peripheral-nerve-stimulation",
}
ADVICE = ("ayuda-urgente", "urgent-help")
# (model, Spanish slug, English slug) of every seeded Spanish row.
SPANISH = [
    (Condition, *CONDITION),
    (Guide, *GUIDE),
    *[(Treatment, es, en) for es, en in TREATMENTS.items()],
    (UrgentAdvice, *ADVICE),
]
IDS = [slug for _model, slug, _english in SPANISH]
ARTICLES = [row for row in SPANISH if row[0] is not UrgentAdvice]


def spanish(model, slug):
    return model.objects.get(language="es", slug=slug)


def english(model, slug):
    return model.objects.get(language="en", slug=slug)


def words(text):
    return " ".join(text.split())


def historical_apps():
    """The models as migrations see them (no save(), no history signals), with every column
    later migrations added: the seed runs here against today's tables."""
    executor = MigrationExecutor(connection)
    return executor.loader.project_state().apps


def spanish_rows():
    return {model: model.objects.filter(language="es").count() for model, *_ in SPANISH}


# --- Each is its own published row, linked to the English one ----------------------------------


@pytest.mark.parametrize(("model", "slug", "english_slug"), SPANISH, ids=IDS)
def test_each_spanish_row_is_published_and_linked_to_its_english_original(
    model, slug, english_slug
):
    article = spanish(model, slug)
    original = english(model, english_slug)
    assert article.translation_of == original
    assert article.pk != original.pk and article.title != original.title
    assert model.objects.published().in_language("es").filter(pk=article.pk).exists()
    assert article.translation_synced_at is not None
    assert not model.objects.translation_out_of_date().filter(pk=article.pk).exists()


@pytest.mark.parametrize(("model", "slug", "english_slug"), SPANISH, ids=IDS)
def test_nobody_is_named_as_having_reviewed_the_spanish(model, slug, english_slug):
    article = spanish(model, slug)
    assert article.reviewed_by == ""
    assert article.reviewer_credentials == ""
    assert article.last_reviewed_on is None
    assert article.next_review_due is None
    assert model.objects.never_reviewed().filter(pk=article.pk).exists()


@pytest.mark.parametrize(("model", "slug", "english_slug"), SPANISH, ids=IDS)
def test_each_spanish_row_starts_its_history_with_its_launch_text(model, slug, english_slug):
    article = spanish(model, slug)
    record = article.history.get()
    assert record.history_type == "+"
    assert record.history_change_reason == seed_migration.REASON
    assert record.language == "es" and record.translation_of_id == article.translation_of_id
    for name in ("title", "summary", *model.SECTION_NAMES):
        assert getattr(record, name) == getattr(article, name), name


@pytest.mark.parametrize(("model", "slug", "english_slug"), SPANISH, ids=IDS)
def test_every_section_written_in_english_is_written_and_rendered_in_spanish(
    model, slug, english_slug
):
    article, original = spanish(model, slug), english(model, english_slug)
    assert article.summary
    for name, _heading in model.SECTIONS:
        text = getattr(article, name)
        assert bool(text.strip()) == bool(getattr(original, name).strip()), name
        assert getattr(article, f"{name}_html") == render_markdown(text), name


@pytest.mark.parametrize(("model", "slug", "english_slug"), SPANISH, ids=IDS)
def test_each_spanish_row_lists_the_english_rows_sources_as_published(model, slug, english_slug):
    def sources(article):
        return list(
            Reference.objects.filter(
                content_type__model=model._meta.model_name, object_id=article.pk
            ).values_list("position", "title", "publisher", "year", "link")
        )

    assert sources(spanish(model, slug)) == sources(english(model, english_slug))
    if model in (Condition, Guide):
        assert sources(spanish(model, slug))


def test_the_condition_links_the_spanish_treatments_and_its_history_keeps_them():
    article = spanish(Condition, CONDITION[0])
    linked = article.treatments.all()
    assert {t.slug for t in linked} == set(TREATMENTS)
    assert {t.language for t in linked} == {"es"}

    links = apps.get_model("conditions", "HistoricalCondition_treatments").objects
    recorded = links.filter(history=article.history.get())
    assert set(recorded.values_list("treatment_id", flat=True)) == {t.pk for t in linked}


def test_the_guide_links_the_spanish_treatments_and_condition():
    article = spanish(Guide, GUIDE[0])
    assert set(article.treatments.values_list("slug", flat=True)) == set(TREATMENTS)
    assert list(article.related_conditions.values_list("slug", flat=True)) == [CONDITION[0]]


def test_the_english_pages_keep_their_english_links_and_urgent_advice():
    assert english(Condition, CONDITION[1]).treatments.filter(language="es").count() == 0
    assert english(Guide, GUIDE[1]).related_conditions.filter(language="es").count() == 0
    assert UrgentAdvice.objects.current().slug == ADVICE[1]
    assert UrgentAdvice.objects.current("es").slug == ADVICE[0]


# --- The urgent advice says everything the brief says -------------------------------------------


def test_the_spanish_urgent_advice_names_every_sign_the_brief_lists():
    advice = UrgentAdvice.objects.current("es")
    assert advice.translation_of == english(UrgentAdvice, ADVICE[1])
    emergency, same_day, clinic = (words(getattr(advice, name)) for name in advice.SECTION_NAMES)
    # What to do, in the brief's words, in the text itself (not only in the page's headings).
    assert EMERGENCY_ES.casefold() in emergency.casefold()
    for sign in CALL_911_ES:
        assert sign in emergency, sign
    assert SAME_DAY_CALL_ES.casefold() in same_day.casefold()
    for sign in SAME_DAY_ES:
        assert sign in same_day, sign
    assert CLINIC_CALL_ES.casefold() in clinic.casefold()
    for sign in CALL_THE_CLINIC_ES:
        assert sign in clinic, sign


def test_the_spanish_urgent_advice_has_as_many_signs_as_the_english():
    """One list item for each sign, in each language: none dropped, none added."""

    def items(advice):
        return [
            len(BeautifulSoup(getattr(advice, f"{name}_html"), "html.parser").select("li"))
            for name in advice.SECTION_NAMES
        ]

    assert items(UrgentAdvice.objects.current("es")) == items(UrgentAdvice.objects.current())


@pytest.mark.parametrize(("model", "slug"), [(Condition, CONDITION[0]), (Guide, GUIDE[0])])
def test_spanish_articles_point_to_the_urgent_advice_instead_of_repeating_it(model, slug):
    article = spanish(model, slug)
    assert f'href="{seed_migration.URGENT_PAGE}"' in article.when_to_get_help_html
    text = words(article.when_to_get_help)
    for sign in EVERY_SIGN_ES:
        assert sign not in text, sign


# --- Links ---------------------------------------------------------------------------------------


def internal_links(article):
    html = "".join(getattr(article, f"{name}_html") for name in article.SECTION_NAMES)
    return [a["href"] for a in BeautifulSoup(html, "html.parser").select("a[href^='/']")]


@pytest.mark.parametrize(("model", "slug", "english_slug"), SPANISH, ids=IDS)
def test_spanish_text_links_only_to_spanish_pages(model, slug, english_slug):
    for href in internal_links(spanish(model, slug)):
        assert href.startswith("/es/"), href


@pytest.mark.parametrize(("model", "slug"), [(Condition, CONDITION[0]), (Guide, GUIDE[0])])
def test_spanish_articles_link_each_spanish_treatment_page(model, slug):
    links = internal_links(spanish(model, slug))
    for treatment in TREATMENTS:
        assert seed_migration.treatment_page(treatment) in links, treatment


def spanish_pages_are_routed():
    return is_language_prefix_patterns_used(settings.ROOT_URLCONF)[0]


@pytest.mark.skipif(
    not spanish_pages_are_routed(), reason="the Spanish pages (/es/) are not routed yet"
)
@pytest.mark.parametrize(("model", "slug", "english_slug"), SPANISH, ids=IDS)
def test_every_link_in_the_spanish_text_opens_a_spanish_page(client, model, slug, english_slug):
    for href in internal_links(spanish(model, slug)):
        assert client.get(href).status_code == 200, href


# --- The medical facts, as in English ------------------------------------------------------------


def test_condition_overview_gives_the_comparison_and_how_common_it_is():
    overview = words(spanish(Condition, CONDITION[0]).overview)
    for phrase in (
        "atrapado o irritado",
        "parte de atrás de la pelvis",
        "túnel carpiano",
        "nervio mediano",
        "no se descubre",
        "2 a 14 de cada 100 personas",
        "Isu 2018",
        "Kuniya 2014",
        "se examinó a cada persona",
    ):
        assert phrase in overview, phrase


def test_condition_names_the_three_nerve_groups_and_where_each_runs():
    anatomy = words(spanish(Condition, CONDITION[0]).anatomy)
    for group in ("superiores", "medios", "inferiores"):
        assert f"### Nervios cluneales {group}" in spanish(Condition, CONDITION[0]).anatomy
    for phrase in (
        "nervios clúneos o nervios cutáneos glúteos",
        "L1 a L3",
        "cambiar de una persona a otra",
        "cresta ilíaca",
        "7 a 8 cm",
        "fascia toracolumbar",
        "S1 a S3",
        "ligamento sacroilíaco posterior largo",
        "articulación sacroilíaca",
        "nervio cutáneo femoral posterior",
        "músculo grande de la nalga",
        "no pierden fuerza",
    ):
        assert phrase in anatomy, phrase


def test_condition_symptoms_causes_and_diagnosis_carry_each_fact():
    article = spanish(Condition, CONDITION[0])
    symptoms = words(article.symptoms)
    for phrase in (
        "de los dos lados",
        "más abajo de la rodilla",
        "agacharse, girar el cuerpo o echarse hacia atrás",
        "caminar o al estar de pie mucho tiempo",
        "mejora cuando descansa",
        "sentado mucho tiempo",
        "duele al apretarlo",
        "golpecitos",
        "ciática",
    ):
        assert phrase in symptoms, phrase
    assert "ligamento" in article.causes
    diagnosis = words(article.diagnosis)
    for phrase in (
        "sentado mucho tiempo",
        "puntos gatillo",
        "cresta ilíaca",
        "su dolor de siempre",
        "anestesia local",
        "**ecografía (ultrasonido)**",
        "**rayos X, la resonancia magnética y la tomografía computarizada**",
        "descartar otras causas",
    ):
        assert phrase in diagnosis, phrase


def test_condition_treatment_options_are_the_four_and_honest_about_the_research():
    options = words(spanish(Condition, CONDITION[0]).treatment_options)
    for phrase in (
        "no son opioides",
        "terapia física",
        "quiropráctica",
        "acupuntura",
        "sentir con los dedos",
        "ecografía (ultrasonido)",
        "fluoroscopia (rayos X en vivo)",
        "congela el nervio",
        "estéril (sin gérmenes)",
        "estimulador, cruzando el borde de arriba del hueso de la cadera",
        "ablación por radiofrecuencia",
        "cirugía para liberar el nervio atrapado",
        "estudios pequeños",
        "pocos estudios",
        '"en investigación"',
    ):
        assert phrase in options, phrase


def test_condition_has_spanish_labels_for_search_engines():
    article = spanish(Condition, CONDITION[0])
    assert article.anatomy_label.startswith("Nervios cluneales")
    assert "Dolor en la parte baja de la espalda" in article.symptom_list()
    assert {"Ecografía (ultrasonido)", "Rayos X", "Resonancia magnética"} <= set(
        article.test_list()
    )


def test_guide_covers_self_care_finding_the_cause_options_and_surgery():
    article = spanish(Guide, GUIDE[0])
    assert "muchas veces vuelve" in words(article.overview)
    assert "Siga moviéndose" in article.self_care
    assert "inyección de prueba" in article.finding_the_cause
    options = words(article.options)
    for phrase in ("inyecciones epidurales", "en las articulaciones", "radiofrecuencia"):
        assert phrase in options, phrase
    surgery = words(article.surgery)
    assert "daño en un nervio" in surgery
    assert "junto con un cirujano" in surgery


def test_cryoablation_page_says_the_research_is_thin():
    text = words(spanish(Treatment, "crioablacion").what_it_is)
    assert "crioneurólisis" in text
    assert "pocos estudios" in text
    assert '"en investigación"' in text


def test_nerve_stimulation_page_says_where_the_stimulator_goes_for_cluneal_pain():
    text = words(spanish(Treatment, "estimulacion-de-nervios-perifericos").what_it_is)
    assert "cruzando el borde de arriba del hueso de la cadera" in text


# --- They read at Fernández-Huerta 70 or easier --------------------------------------------------


@pytest.mark.parametrize(("model", "slug", "english_slug"), SPANISH, ids=IDS)
def test_the_whole_spanish_article_reads_at_70_or_easier(model, slug, english_slug):
    article = spanish(model, slug)
    score = reading_ease(article.section_text())
    assert score >= READING_EASE_TARGET, reading_ease_label(score)
    assert article.reading_ease_score == pytest.approx(score)
    assert article.reading_grade_score is None


@pytest.mark.parametrize(("model", "slug", "english_slug"), SPANISH, ids=IDS)
def test_the_summary_and_each_section_read_at_70_or_easier(model, slug, english_slug):
    scores = section_scores(spanish(model, slug))
    assert set(scores) == {"summary", *model.SECTION_NAMES}
    too_hard = {name: round(score, 1) for name, score in scores.items() if score < 70}
    assert not too_hard


@pytest.mark.parametrize(("model", "slug", "english_slug"), SPANISH, ids=IDS)
def test_each_summary_fits_the_checklist(model, slug, english_slug):
    assert 50 <= len(spanish(model, slug).summary) <= 200


@pytest.mark.parametrize(("model", "slug", "english_slug"), SPANISH, ids=IDS)
def test_the_admin_shows_the_spanish_score_with_its_band(admin_client, model, slug, english_slug):
    article = spanish(model, slug)
    label = reading_ease_label(reading_ease(article.section_text()))
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    page = BeautifulSoup(admin_client.get(changelist).content, "html.parser")
    row = next(r for r in page.select("#result_list tbody tr") if article.title in r.get_text())
    assert row.select_one(".field-reading_grade").get_text(strip=True) == label
    assert re.fullmatch(r"Fernández-Huerta \d+ \((bastante fácil|fácil|muy fácil)\)", label)

    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[article.pk])
    report = BeautifulSoup(admin_client.get(change).content, "html.parser").select_one(
        ".field-reading_grade_report"
    )
    assert f"{label}. Within the target of 70 or higher." in report.get_text(" ", strip=True)


# --- The migration: idempotent, skips what is missing, reversible -------------------------------


def test_running_the_seed_again_adds_no_copies():
    before = spanish_rows()
    sources = Reference.objects.count()
    seed_migration.seed(historical_apps(), schema_editor=None)
    assert spanish_rows() == before
    assert Reference.objects.count() == sources


def test_unapplying_deletes_the_spanish_rows_their_sources_and_history_only():
    state = historical_apps()
    english_before = {m: m.objects.filter(language="en").count() for m, *_ in SPANISH}
    seeded = {model: spanish(model, slug).pk for model, slug, _english in SPANISH}

    seed_migration.unseed(state, schema_editor=None)

    assert all(count == 0 for count in spanish_rows().values())
    assert {m: m.objects.filter(language="en").count() for m, *_ in SPANISH} == english_before
    for model, pk in seeded.items():
        assert not Reference.objects.filter(
            content_type__model=model._meta.model_name, object_id=pk
        ).exists()
        assert not model.history.filter(id=pk).exists()
    assert UrgentAdvice.objects.current().slug == ADVICE[1]

    seed_migration.seed(state, schema_editor=None)
    assert all(count == 1 for model, count in spanish_rows().items() if model is not Treatment)
    assert spanish_rows()[Treatment] == len(TREATMENTS)


def test_a_missing_english_original_is_skipped_not_an_error():
    state = historical_apps()
    seed_migration.unseed(state, schema_editor=None)
    english(Treatment, "cryoablation").delete()

    seed_migration.seed(state, schema_editor=None)

    assert not Treatment.objects.filter(language="es", slug="crioablacion").exists()
    assert Treatment.objects.filter(language="es").count() == len(TREATMENTS) - 1
    assert spanish(Condition, CONDITION[0]).treatments.count() == len(TREATMENTS) - 1
