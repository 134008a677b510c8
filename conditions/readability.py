"""How easy article text is to read, so editors and tests can hold pages to a target.

English is scored with the Flesch-Kincaid grade (roughly the US school grade needed; the site
aims for 8 or lower), Spanish with the Fernández-Huerta reading ease (0 to 100, higher is
easier; the site aims for 70, "bastante fácil", or higher). Both come from textstat, pinned to
0.7.8, which counts syllables offline (pyphen, and for English the dictionary packaged with it):
newer releases download a dictionary at run time. Scores are computed on what a reader sees,
not on the Markdown source: link targets, `**`, `###` and list markers are not words.
"""

import math
import re
from html.parser import HTMLParser

from textstat.textstat import textstatistics

from .markdown import render_markdown


def _scorer(lang):
    """A textstat object of its own for one language.

    `textstat.set_lang()` sets the language of the one module-wide object every caller shares,
    so switching it for a Spanish text would switch it under any other thread scoring English at
    that moment. Each `textstatistics` object keeps its language on itself (set_lang stores it
    on the instance), so each language gets its own, set once at import.
    """
    scorer = textstatistics()
    scorer.set_lang(lang)
    return scorer


SCORERS = {"en": _scorer("en_US"), "es": _scorer("es")}

# Fernández-Huerta's reading ease: 70 and above is "bastante fácil" (fairly easy) or easier.
READING_EASE_TARGET = 70
# The standard bands of the Fernández-Huerta scale (lowest score of each band, its name), as
# Flesch's reading ease bands, which Fernández-Huerta adapted to Spanish.
READING_EASE_BANDS = (
    (90, "muy fácil"),
    (80, "fácil"),
    (70, "bastante fácil"),
    (60, "normal"),
    (50, "bastante difícil"),
    (30, "difícil"),
    (-math.inf, "muy difícil"),
)

# Elements a reader takes in as one unit. A list item or heading with no full stop still ends
# there: scored as running text, a list of short items would read as one very long sentence.
BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "td", "th", "pre"}
SENTENCE_END = re.compile(r"[.!?][\"')\]”’]*$")


class _BlockText(HTMLParser):
    """Collects the text of each block element, one string per block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []
        self._current = []

    def _close_block(self):
        text = " ".join("".join(self._current).split())
        if text:
            self.blocks.append(text)
        self._current = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS or tag == "br":
            self._close_block()

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self._close_block()

    def handle_data(self, data):
        self._current.append(data)

    def close(self):
        super().close()
        self._close_block()


def plain_text(markdown_text: str) -> str:
    """The words a reader sees in `markdown_text`, one sentence-ending block per line.

    A block that does not end a sentence (a heading, a list item, a lead-in ending in a colon)
    gets a full stop, so the score counts it as the separate unit it is on the page.
    """
    return plain_text_of_html(render_markdown(markdown_text))


def plain_text_of_html(html: str) -> str:
    """`plain_text` of Markdown already rendered (`render_markdown`'s HTML)."""
    parser = _BlockText()
    parser.feed(html)
    parser.close()
    lines = []
    for block in parser.blocks:
        block = block.rstrip(":;,— ")
        if block and not SENTENCE_END.search(block):
            block += "."
        if block:
            lines.append(block)
    return "\n".join(lines)


def reading_grade(markdown_text: str) -> float:
    """Flesch-Kincaid grade of English Markdown text as a reader sees it (0.0 for empty text).

    Roughly the US school grade needed to read it; the site aims for 8 or lower.
    """
    text = plain_text(markdown_text)
    if not text:
        return 0.0
    return float(SCORERS["en"].flesch_kincaid_grade(text))


def reading_ease(markdown_text: str) -> float:
    """Fernández-Huerta reading ease of Spanish Markdown text as a reader sees it (0.0 for empty
    text). Higher is easier; the site aims for 70 or higher."""
    text = plain_text(markdown_text)
    if not text:
        return 0.0
    return float(SCORERS["es"].fernandez_huerta(text))


def reading_ease_band(score: float) -> str:
    """The band's name on the Fernández-Huerta scale, for the whole number shown."""
    shown = math.floor(score)
    return next(name for lowest, name in READING_EASE_BANDS if shown >= lowest)


def reading_ease_label(score: float) -> str:
    """ "Fernández-Huerta 74 (bastante fácil)". The whole number is rounded down, so a text
    shown as 70 has reached the target and its band always matches the number."""
    return f"Fernández-Huerta {math.floor(score)} ({reading_ease_band(score)})"


def within_reading_ease_target(score: float) -> bool:
    return score >= READING_EASE_TARGET


def reading_score(markdown_text: str, language: str = "en") -> float:
    """The score of a text in its language's measure: the grade for English, the reading ease
    for Spanish."""
    return reading_ease(markdown_text) if language == "es" else reading_grade(markdown_text)


def section_grades(article) -> dict[str, float]:
    """Reading grade of an article's summary and of each non-empty section, by field name."""
    return _by_section(article, reading_grade)


def section_scores(article) -> dict[str, float]:
    """The score of an article's summary and each non-empty section in the article's language
    (the grade in English, the reading ease in Spanish), by field name."""
    language = article.language
    return _by_section(article, lambda text: reading_score(text, language))


def _by_section(article, score):
    scores = {"summary": score(article.summary)}
    for name, _heading in article.SECTIONS:
        text = getattr(article, name)
        if text and text.strip():
            scores[name] = score(text)
    return scores
