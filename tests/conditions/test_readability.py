"""conditions/readability.py: the scores the admin shows and the articles aim at (the reading
grade in English, the Fernández-Huerta reading ease in Spanish) and the one verdict every screen
says."""

import pytest
import textstat
from textstat.textstat import textstatistics

from conditions.models import Condition
from conditions.readability import (
    plain_text,
    reading_ease,
    reading_ease_band,
    reading_ease_label,
    reading_grade,
    rules_for,
    verdict,
)

MAX_GRADE = 8
MIN_EASE = 70
ENGLISH = "The nerve is sore. It hurts to sit for a long time. Rest helps."
SPANISH = "El nervio duele. Le duele estar sentado mucho tiempo. Descansar le ayuda."
SPANISH_HARD = (
    "La neuropatía por atrapamiento del nervio cluneal superior constituye una manifestación "
    "infradiagnosticada de lumbalgia crónica inespecífica, particularmente en pacientes "
    "posquirúrgicos."
)


def test_reading_grade_ignores_markdown_syntax_and_link_addresses():
    marked_up = (
        "### Rest\n\n**Rest** is good. Read [more](/treatments/peripheral-nerve-stimulation/)."
    )
    assert reading_grade(marked_up) == reading_grade("Rest.\n\nRest is good. Read more.")


def test_plain_text_ends_each_heading_and_list_item_as_a_sentence():
    text = plain_text("### Where it hurts\n\nYou may have:\n\n- back pain\n- leg pain!\n")
    assert text == "Where it hurts.\nYou may have.\nback pain.\nleg pain!"


def test_a_list_of_short_items_scores_like_short_sentences():
    items = ["pain in your low back", "pain in your upper buttock", "pain down your leg"]
    as_list = "\n".join(f"- {item}" for item in items)
    assert reading_grade(as_list) == reading_grade(". ".join(items) + ".")
    assert reading_grade(as_list) <= MAX_GRADE


def test_reading_grade_is_high_for_dense_medical_prose():
    dense = (
        "Entrapment neuropathy of the superior cluneal nerves, characterised by "
        "compression within the osteofibrous tunnel formed by the thoracolumbar fascia and "
        "the posterior iliac crest, frequently manifests as intractable lumbosacral pain."
    )
    assert reading_grade(dense) > 12


def test_reading_grade_of_empty_text_is_zero():
    assert reading_grade("") == 0.0
    assert reading_grade("  \n") == 0.0


def test_the_verdict_scores_the_summary_and_each_written_section():
    article = Condition(
        summary="A short summary.",
        overview="The nerve is sore. It hurts to sit.",
        symptoms="- back pain\n- leg pain",
    )
    result = verdict(article)
    assert [part.heading for part in result.parts] == ["Summary", "Overview", "Symptoms"]
    assert all(part.value <= MAX_GRADE and part.ok for part in result.parts)
    assert result.ok


HARD = (
    "Occipital neuralgia constitutes a paroxysmal lancinating cephalalgia attributable to "
    "irritation of the greater, lesser or third occipital nerves, frequently precipitated "
    "by cervical musculoskeletal dysfunction."
)


def test_one_hard_section_in_an_easy_page_is_outside_the_target():
    """The issue's case: the page scores well on average, one section does not. The verdict
    (which the change page, the list, the checklist and the save warning all say) is not
    within the target, and it names the section."""
    easy = " ".join([ENGLISH] * 12)
    article = Condition(summary=ENGLISH, overview=easy, symptoms=easy, causes=HARD)
    result = verdict(article)
    assert result.whole.ok and result.whole.value <= MAX_GRADE
    assert [part.heading for part in result.outside] == ["Causes"]
    assert result.outside[0].value > MAX_GRADE
    assert not result.ok
    assert "within the target of grade 8 or lower, but some parts are not" in result.said()


def test_an_empty_article_has_no_score_and_is_not_within_the_target():
    result = verdict(Condition(summary="", overview=""))
    assert result.whole is None and not result.ok
    assert result.said() == "Nothing written yet."


# --- Spanish: Fernández-Huerta ------------------------------------------------------------------


def spanish_textstat():
    """textstat as its documentation says to score Spanish: an object set to "es"."""
    scorer = textstatistics()
    scorer.set_lang("es")
    return scorer


def test_reading_ease_is_textstats_fernandez_huerta_of_what_a_reader_sees():
    marked_up = f"### Dolor\n\n**{SPANISH}** Lea [más](/es/tratamientos/crioablacion/)."
    text = plain_text(marked_up)
    assert reading_ease(marked_up) == spanish_textstat().fernandez_huerta(text)
    assert reading_ease(marked_up) == reading_ease(f"Dolor.\n\n{SPANISH} Lea más.")


def test_plain_spanish_reads_easily_and_dense_spanish_does_not():
    assert reading_ease(SPANISH) >= MIN_EASE > reading_ease(SPANISH_HARD)


def test_reading_ease_of_empty_text_is_zero():
    assert reading_ease("") == 0.0
    assert reading_ease(" \n") == 0.0


def test_english_is_scored_as_before_with_textstats_default_language():
    """The English grade is textstat's own Flesch-Kincaid (its default language, en_US)."""
    english = textstatistics()
    for text in (ENGLISH, SPANISH_HARD, "### Rest\n\n- back pain\n- leg pain"):
        assert reading_grade(text) == english.flesch_kincaid_grade(plain_text(text))


def test_textstats_global_language_switch_changes_neither_score():
    """Each language has its own textstat object: code elsewhere that calls the global
    textstat.set_lang() cannot score English with Spanish syllables, or the reverse."""
    grade, ease = reading_grade(ENGLISH), reading_ease(SPANISH)
    try:
        textstat.set_lang("es")
        assert reading_grade(ENGLISH) == grade
        textstat.set_lang("en_US")
        assert reading_ease(SPANISH) == ease
    finally:
        textstat.set_lang("en_US")


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (100, "muy fácil"),
        (90, "muy fácil"),
        (89.9, "fácil"),
        (80, "fácil"),
        (79.99, "bastante fácil"),
        (70, "bastante fácil"),
        (69.9, "normal"),
        (60, "normal"),
        (59.5, "bastante difícil"),
        (50, "bastante difícil"),
        (49, "difícil"),
        (30, "difícil"),
        (29.9, "muy difícil"),
        (-12, "muy difícil"),
    ],
)
def test_reading_ease_bands_are_fernandez_huertas(score, band):
    assert reading_ease_band(score) == band


def test_the_label_shows_the_whole_number_its_band_and_the_target_agrees():
    assert reading_ease_label(74.6) == "Fernández-Huerta 74 (bastante fácil)"
    assert reading_ease_label(80) == "Fernández-Huerta 80 (fácil)"
    # Rounded down, never up: a label reading 70 has reached the target.
    assert reading_ease_label(69.99) == "Fernández-Huerta 69 (normal)"
    assert not rules_for("es").within_target(69.99)
    assert rules_for("es").within_target(70)
    assert rules_for("es").shown(74.6) == reading_ease_label(74.6)


def test_the_verdict_follows_the_articles_language():
    fields = {
        "summary": "Un resumen corto.",
        "overview": SPANISH,
        "symptoms": "- dolor de espalda\n- dolor de pierna",
    }
    spanish = verdict(Condition(language="es", **fields))
    assert [part.value for part in spanish.parts] == [reading_ease(t) for t in fields.values()]
    assert all(part.value >= MIN_EASE and part.ok for part in spanish.parts)
    assert spanish.parts[1].shown == reading_ease_label(reading_ease(SPANISH))
    # English is scored as a grade: easy text is a low number (below zero here), not the high
    # reading ease the same words get on the Spanish scale.
    english = verdict(Condition(language="en", summary=ENGLISH, overview=ENGLISH, symptoms=""))
    assert [part.value for part in english.parts] == [reading_grade(ENGLISH)] * 2
    assert all(p.value <= MAX_GRADE < MIN_EASE <= reading_ease(ENGLISH) for p in english.parts)
