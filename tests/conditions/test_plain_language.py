"""conditions/plain_language.py: the sentences that make a section hard, in English and Spanish."""

import re

import pytest
from bs4 import BeautifulSoup

from conditions.markdown import render_markdown
from conditions.models import PlainerWord
from conditions.plain_language import analyse, split_sentences
from conditions.readability import reading_ease_label, reading_grade, rules_for
from tests.conditions.worst_inputs import MARKDOWN, finishes

SUGGESTIONS = {
    "en": {"utilize": "use", "approximately": "about", "in order to": "to"},
    "es": {"utilizar": "usar", "aproximadamente": "más o menos", "con el fin de": "para"},
}
LONG_EN = (
    "The pain can spread from the low back down the back of the leg and sometimes below the "
    "knee, so people often think that it is sciatica."
)
LONG_ES = (
    "El dolor puede bajar desde la parte baja de la espalda por detrás de la pierna y a veces "
    "más abajo de la rodilla, por eso muchas personas creen que es ciática."
)


def flagged(text, language, suggestions=None):
    report = analyse(text, language, suggestions or SUGGESTIONS[language]).report
    return [s.text for s in report.flagged]


def hard_words(text, language, suggestions=None):
    """{hard word as written: its plainer word, or ""} in `text`."""
    suggestions = SUGGESTIONS[language] if suggestions is None else suggestions
    report = analyse(text, language, suggestions).report
    return {w.text: w.suggestion for s in report.flagged for w in s.hard_words}


def unmarked(html):
    return re.sub(r"</?mark[^>]*>", "", html)


# Sentences ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "sentences"),
    [
        ("en", "Rest helps. Walk a little!", ["Rest helps.", "Walk a little!"]),
        (
            "en",
            "Dr. Lee will see you. It takes 2.5 hours.",
            ["Dr. Lee will see you.", "It takes 2.5 hours."],
        ),
        (
            "en",
            "Bring your scans, e.g. an MRI. Then rest.",
            ["Bring your scans, e.g. an MRI.", "Then rest."],
        ),
        (
            "en",
            "See www.example.org for more. Call us",
            ["See www.example.org for more.", "Call us"],
        ),
        ("en", 'She said "Stop." Then she left.', ['She said "Stop."', "Then she left."]),
        ("es", "¿Qué es? Es un dolor. ¡Llame hoy!", ["¿Qué es?", "Es un dolor.", "¡Llame hoy!"]),
        (
            "es",
            "La Dra. Ruiz lo verá. Tome agua, p. ej. dos vasos.",
            ["La Dra. Ruiz lo verá.", "Tome agua, p. ej. dos vasos."],
        ),
    ],
)
def test_split_sentences_ends_sentences_where_readers_do(language, text, sentences):
    assert [text[a:b] for a, b in split_sentences(text, language)] == sentences


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", f"Rest helps. {LONG_EN} Call us.", [LONG_EN]),
        ("en", "Rest helps. Walk a little every day. Call us.", []),
        # 20 words exactly is not over the limit; 21 is.
        ("en", " ".join(["word"] * 19) + " end.", []),
        ("en", " ".join(["word"] * 20) + " end.", [" ".join(["word"] * 20) + " end."]),
        ("es", f"Descanse. {LONG_ES} Llame hoy.", [LONG_ES]),
        ("es", "Descanse. Camine un poco cada día. Llame hoy.", []),
    ],
)
def test_sentences_over_20_words_are_flagged(language, text, expected):
    assert flagged(text, language) == expected


def test_a_list_item_is_a_sentence_of_its_own():
    items = "\n".join(f"- {'pain ' * 8}in the back" for _ in range(3))
    assert flagged(items, "en") == []  # three short items, not one 30-word sentence


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # Four syllables or more in English; listed words whatever their length.
        ("en", "The area is numbed with an anesthetic.", {"anesthetic": ""}),
        (
            "en",
            "We utilize approximately two needles.",
            {"utilize": "use", "approximately": "about"},
        ),
        ("en", "Doctors utilized it. Nurses utilizes it.", {"utilized": "use", "utilizes": "use"}),
        ("en", "We rest In  Order\nTo heal.", {"In  Order\nTo": "to"}),
        ("en", "Rest and walk a bit each day.", {}),
        ("en", "It is non-surgical care.", {}),  # a compound is judged by its parts
        # Five syllables or more in Spanish (its words are longer); listed words likewise.
        ("es", "Le daremos fisioterapia.", {"fisioterapia": ""}),
        ("es", "Es un tratamiento sencillo.", {}),  # four syllables: common in plain Spanish
        (
            "es",
            "Vamos a utilizar aproximadamente dos agujas.",
            {"utilizar": "usar", "aproximadamente": "más o menos"},
        ),
        ("es", "Lo hacemos con el fin de ayudarle.", {"con el fin de": "para"}),
    ],
)
def test_hard_words_are_found_with_their_plainer_words(language, text, expected):
    assert hard_words(text, language) == expected


def test_each_language_uses_only_its_own_list():
    assert hard_words("Vamos a utilize esto.", "es") == {}
    assert hard_words("We utilizar it.", "en") == {}


def test_links_and_markdown_signs_are_not_words():
    text = "Read [this page](https://example.org/approximately-utilize/) or **rest**."
    assert hard_words(text, "en") == {}


# Scores ---------------------------------------------------------------------------------------


def test_english_score_is_the_reading_grade_the_admin_shows():
    text = f"Rest helps. {LONG_EN}"
    report = analyse(text, "en").report
    assert report.score == reading_grade(text)
    assert rules_for("en").within_target(8) and not rules_for("en").within_target(8.1)


def test_spanish_score_is_reading_ease_where_higher_is_easier():
    easy = analyse("El nervio duele. Descanse. Llame hoy.", "es").report
    hard = analyse(
        "La neuropatía por atrapamiento del nervio cluneal superior constituye una "
        "manifestación infradiagnosticada de lumbalgia crónica inespecífica.",
        "es",
    ).report
    assert easy.score > 70 and easy.within_target
    assert hard.score < 70 and not hard.within_target
    assert easy.summary.startswith(f"{reading_ease_label(easy.score)}: within the target of 70")
    assert hard.summary.startswith(f"{reading_ease_label(hard.score)}: outside the target of 70")


def test_an_empty_section_has_no_score_and_nothing_to_look_at():
    report = analyse("  \n", "en").report
    assert report.score is None and report.within_target and report.flagged == []
    assert report.summary == "Nothing written yet."
    assert rules_for("es").score_markdown("") is None


def test_summary_says_the_score_the_target_and_how_many_sentences():
    report = analyse(f"Rest helps. {LONG_EN}", "en").report
    assert report.summary.startswith(f"Reading grade {report.score:.1f}: ")
    assert "target of grade 8 or lower" in report.summary
    assert report.summary.endswith("1 sentence to look at.")


def test_unknown_language_codes_fall_back_to_english():
    assert rules_for("en-us").code == "en"
    assert rules_for("fr").code == "en"
    assert rules_for("ES").code == "es"


# Marks in the preview -------------------------------------------------------------------------


def test_html_is_exactly_what_the_site_renders():
    text = "### Rest\n\nRest **helps**. See [us](https://example.org)."
    assert analyse(text, "en").html == render_markdown(text)


@pytest.mark.parametrize("language", ["en", "es"])
def test_marks_surround_the_flagged_sentence_and_change_nothing_else(language):
    long = LONG_EN if language == "en" else LONG_ES
    text = f"Short one. {long} Short two."
    analysis = analyse(text, language)
    page = BeautifulSoup(analysis.marked_html, "html.parser")
    assert "".join(m.get_text() for m in page.select("mark.app-flag")) == long
    assert unmarked(analysis.marked_html) == analysis.html


def test_hard_words_are_marked_inside_their_sentence():
    analysis = analyse("Rest. We utilize approximately two.", "en", SUGGESTIONS["en"])
    page = BeautifulSoup(analysis.marked_html, "html.parser")
    assert [m.get_text() for m in page.select("mark.app-flag--word")] == [
        "utilize",
        "approximately",
    ]
    assert "".join(m.get_text() for m in page.select("mark.app-flag")) == (
        "We utilize approximately two."
    )


def test_a_sentence_across_bold_and_a_link_is_marked_piece_by_piece():
    text = f"Rest. **{LONG_EN[:40]}**{LONG_EN[40:80]}[link]({'https://example.org'}){LONG_EN[80:]}"
    analysis = analyse(text, "en")
    page = BeautifulSoup(analysis.marked_html, "html.parser")
    assert page.select_one("strong mark.app-flag") and page.select_one("a mark.app-flag")
    assert unmarked(analysis.marked_html) == analysis.html
    assert page.select_one("a")["href"] == "https://example.org"


def test_text_that_looks_like_html_stays_escaped_when_marked():
    text = "We utilize &lt;script&gt;alert(1)&lt;/script&gt; and <b onclick=x>this</b> & that."
    analysis = analyse(text, "en", SUGGESTIONS["en"])
    assert "<script" not in analysis.marked_html and "onclick" not in analysis.marked_html
    assert "&lt;script&gt;" in analysis.marked_html
    assert unmarked(analysis.marked_html) == analysis.html


def test_nothing_is_marked_when_nothing_is_hard():
    analysis = analyse("Rest helps. Walk a little.", "en")
    assert analysis.marked_html == analysis.html
    assert "<mark" not in analysis.marked_html


# The list the clinic keeps --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_seeded_list_suggests_plainer_words_in_both_languages():
    english = PlainerWord.objects.suggestions("en")
    spanish = PlainerWord.objects.suggestions("es")
    assert english["utilize"] == "use"
    assert english["approximately"] == "about"
    assert english["anesthetic"] == "numbing medicine"
    assert spanish["utilizar"] == "usar"
    assert spanish["aproximadamente"] == "más o menos"
    assert spanish["anestésico"] == "medicina para adormecer"
    assert hard_words("The anesthetic wears off.", "en", english) == {
        "anesthetic": "numbing medicine"
    }


@pytest.mark.django_db
def test_a_word_staff_add_is_suggested_at_once():
    PlainerWord.objects.create(word="Lumbar  region", suggestion="low back", language="en")
    suggestions = PlainerWord.objects.suggestions("en")
    assert hard_words("Pain in the lumbar region.", "en", suggestions) == {
        "lumbar region": "low back"
    }


def test_every_one_of_many_emphasised_hard_words_is_marked():
    """One token per word, all in one long sentence: each is marked, as a word of it."""
    analysis = analyse("*utilize* " * 500, "en", SUGGESTIONS["en"])
    page = BeautifulSoup(analysis.marked_html, "html.parser")
    words = page.select("mark.app-flag--word")
    assert len(words) == 500
    assert {mark.get_text() for mark in words} == {"utilize"}


@pytest.mark.parametrize("name", ["brackets", "emphasised hard words", "list items"])
def test_the_preview_of_the_worst_input_found_finishes_at_the_section_limit(name):
    """What the live preview runs on each change, on text as long as a section may be."""
    printed = finishes(
        "from conditions.plain_language import analyse\n"
        f"analysis = analyse({MARKDOWN[name]!r}, 'en', {SUGGESTIONS['en']!r})\n"
        "print(len(analysis.marked_html))"
    )
    assert int(printed) > 0
