"""Every page of the library (conditions/content/) as written: whole, plain, sourced, linked.

These read the files themselves, so a clinician's edit is checked before it reaches a database;
tests/conditions/test_library.py checks what `load_content` makes of them.
"""

import re

import pytest

from conditions.library import KINDS, read_library
from conditions.markdown import render_markdown
from conditions.models import Condition, Treatment, UrgentAdvice
from conditions.readability import READING_EASE_TARGET, reading_ease, reading_grade

MAX_GRADE = 8
LIBRARY = read_library()
PAGES = LIBRARY.pages
IDS = [page.name for page in PAGES]
BY_KEY = {(p.kind, p.language, p.slug): p for p in PAGES}

# The library the brief asks for (CONTENT.md, "The library"), by English address.
CONDITIONS = {
    "cluneal-nerve-entrapment",
    "sciatica",
    "herniated-disc",
    "lumbar-spinal-stenosis",
    "facet-joint-pain",
    "sacroiliac-joint-pain",
    "neck-and-arm-pain",
    "knee-osteoarthritis",
    "peripheral-neuropathy",
    "pain-after-back-surgery",
}
TREATMENTS = {
    "non-surgical-care",
    "image-guided-nerve-injections",
    "cryoablation",
    "peripheral-nerve-stimulation",
    "epidural-steroid-injection",
    "facet-joint-injection",
    "radiofrequency-ablation",
    "sacroiliac-joint-injection",
    "spinal-cord-stimulation",
}
GUIDES = {
    "treating-back-and-neck-pain-without-surgery",
    "your-first-visit",
    "before-and-after-a-procedure",
    "living-with-long-term-pain",
}


def pages_of(*kinds, language=None):
    """Test cases: the pages of these kinds (in one language, if given), named."""
    return [
        pytest.param(p, id=p.name)
        for p in PAGES
        if p.kind in kinds and language in (None, p.language)
    ]


def text_of(page):
    return "\n\n".join([page.state["summary"], *page.state["sections"].values()])


def within_target(page, markdown):
    if page.language == "es":
        return reading_ease(markdown) >= READING_EASE_TARGET
    return reading_grade(markdown) <= MAX_GRADE


@pytest.mark.parametrize(
    ("kind", "slugs"),
    [("condition", CONDITIONS), ("treatment", TREATMENTS), ("guide", GUIDES)],
)
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_library_has_every_page_of_the_brief_in_both_languages(kind, slugs, language):
    english = {p.slug for p in PAGES if p.kind == kind and p.language == "en"}
    assert english == slugs
    if language == "es":
        translated = {
            p.state["translation_of"] for p in PAGES if p.kind == kind and p.language == "es"
        }
        assert translated == slugs


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_every_section_of_the_page_is_written(page):
    empty = [name for name, text in page.state["sections"].items() if not text.strip()]
    assert empty == []


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_each_section_reads_within_the_target(page):
    hard = {
        name: round(reading_ease(text) if page.language == "es" else reading_grade(text), 1)
        for name, text in page.state["sections"].items()
        if text and not within_target(page, text)
    }
    assert hard == {}


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_the_whole_page_reads_within_the_target(page):
    assert within_target(page, text_of(page))


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_the_summary_fits_the_checklist(page):
    assert 50 <= len(page.state["summary"]) <= 200


@pytest.mark.parametrize("page", pages_of("condition", "treatment"))
def test_conditions_and_treatments_cite_at_least_two_sources(page):
    sources = page.state["sources"]
    assert len(sources) >= 2
    for source in sources:
        assert source["link"].startswith("https://"), source["title"]


@pytest.mark.parametrize("page", pages_of("guide", "urgent-advice"))
def test_guides_and_the_urgent_advice_cite_a_source(page):
    assert page.state["sources"]


@pytest.mark.parametrize("page", pages_of(*KINDS, language="es"))
def test_spanish_pages_cite_what_their_english_page_cites(page):
    english = BY_KEY[(page.kind, "en", page.state["translation_of"])]
    assert [s["link"] for s in page.state["sources"]] == [
        s["link"] for s in english.state["sources"]
    ]


@pytest.mark.parametrize("page", pages_of("condition"))
def test_each_condition_has_body_areas_treatments_and_related_conditions(page):
    assert page.state["body_areas"]
    assert page.state["treatments"]
    assert page.state["related_conditions"]


@pytest.mark.parametrize("page", pages_of("condition"))
def test_spanish_conditions_link_the_same_pages_as_their_english_version(page):
    if page.language == "en":
        return
    english = BY_KEY[("condition", "en", page.state["translation_of"])]

    def english_slugs(kind, slugs):
        return sorted(BY_KEY[(kind, "es", s)].state["translation_of"] for s in slugs)

    assert page.state["body_areas"] == english.state["body_areas"]
    assert english_slugs("treatment", page.state["treatments"]) == english.state["treatments"]
    assert (
        english_slugs("condition", page.state["related_conditions"])
        == english.state["related_conditions"]
    )


def test_cluneal_nerve_entrapment_is_related_to_what_it_is_mistaken_for():
    cluneal = BY_KEY[("condition", "en", "cluneal-nerve-entrapment")]
    assert {"sciatica", "sacroiliac-joint-pain"} <= set(cluneal.state["related_conditions"])


# --- Every procedure told whole ---------------------------------------------------------------

# Every treatment but non-surgical care is a procedure (English pages: their words are checked).
PROCEDURES = [
    case
    for case in pages_of("treatment", language="en")
    if case.values[0].slug != "non-surgical-care"
]
PROCEDURES_ES = [
    case
    for case in pages_of("treatment", language="es")
    if case.values[0].state["translation_of"] != "non-surgical-care"
]


def section_words(page, section):
    return " ".join(page.state["sections"][section].split()).lower()


@pytest.mark.parametrize("page", pages_of("treatment"))
def test_each_treatment_has_before_after_and_risks(page):
    for name in ("before", "afterwards", "risks", "how_well_it_works", "questions"):
        assert page.state["sections"][name].strip(), name


@pytest.mark.parametrize("page", PROCEDURES)
def test_each_procedure_says_not_to_stop_a_blood_thinner_alone(page):
    before = section_words(page, "before")
    assert "blood thinner" in before
    assert "prescribed" in before


@pytest.mark.parametrize("page", PROCEDURES)
def test_each_procedure_names_the_common_risks(page):
    risks = section_words(page, "risks")
    for risk in ("bleeding", "infection", "nerve", "flare", "relief"):
        assert risk in risks, risk


@pytest.mark.parametrize("page", PROCEDURES_ES)
def test_each_spanish_procedure_says_the_same_on_blood_thinners_and_risks(page):
    before = section_words(page, "before")
    assert "diluir la sangre" in before and "recet" in before
    risks = section_words(page, "risks")
    for risk in ("sangr", "infecci", "nervio", "alivi"):
        assert risk in risks, risk


def test_every_treatment_page_shows_the_emergency_signs_after_a_procedure():
    """From one source: the urgent advice's after_procedure section, in both languages."""
    for language in ("en", "es"):
        advice = [p for p in PAGES if p.kind == "urgent-advice" and p.language == language]
        assert len(advice) == 1
        assert advice[0].state["sections"]["after_procedure"].strip()
    assert "after_procedure" in UrgentAdvice.SECTION_NAMES
    assert "afterwards" in Treatment.SECTION_NAMES


# --- Links in the text ------------------------------------------------------------------------

LINK = re.compile(r'href="(/[^"]*)"')
PREFIX = {"en": "", "es": "/es"}
KIND_PATH = {
    "en": {"conditions": "condition", "treatments": "treatment", "guides": "guide"},
    "es": {"afecciones": "condition", "tratamientos": "treatment", "guias": "guide"},
}


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_every_link_in_the_text_opens_a_page_of_the_library_in_its_language(page):
    for text in page.state["sections"].values():
        for href in LINK.findall(render_markdown(text)):
            path = href.split("#")[0]
            if page.language == "es":
                assert path.startswith("/es/"), href
            parts = [p for p in path.removeprefix(PREFIX[page.language]).split("/") if p]
            if len(parts) == 2 and parts[0] in KIND_PATH[page.language]:
                kind = KIND_PATH[page.language][parts[0]]
                assert (kind, page.language, parts[1]) in BY_KEY, href


def test_the_models_have_the_sections_the_files_use():
    sciatica = BY_KEY[("condition", "en", "sciatica")]
    assert set(Condition.SECTION_NAMES) == set(sciatica.state["sections"])
