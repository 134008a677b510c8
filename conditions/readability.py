"""How easy article text is to read: the one place that scores text, holds the targets and
says the verdict. The model scores a page when it is saved, the section editor's report
(plain_language.py) scores each section as it is typed, and the admin's list column, change
page, save warnings and publish checklist all say the same `Verdict`.

English is scored with the Flesch-Kincaid grade (roughly the US school grade needed; the site
aims for 8 or lower), Spanish with the Fernández-Huerta reading ease (0 to 100, higher is
easier; the site aims for 70, "bastante fácil", or higher). Both come from textstat, pinned to
0.7.8, which counts syllables offline (pyphen, and for English the dictionary packaged with it):
newer releases download a dictionary at run time. Scores are computed on what a reader sees,
not on the Markdown source: link targets, `**`, `###` and list markers are not words.
"""

import functools
import math
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.utils.translation import gettext_lazy as _
from textstat.textstat import textstatistics

from clinic_site.core.language import ENGLISH, SPANISH

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


# The targets: Flesch-Kincaid grade 8 or lower for English; Fernández-Huerta 70 ("bastante
# fácil") or higher for Spanish.
READING_GRADE_TARGET = 8
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


def reading_ease_band(score: float) -> str:
    """The band's name on the Fernández-Huerta scale, for the whole number shown."""
    shown = math.floor(score)
    return next(name for lowest, name in READING_EASE_BANDS if shown >= lowest)


def reading_ease_label(score: float) -> str:
    """ "Fernández-Huerta 74 (bastante fácil)". The whole number is rounded down, so a text
    shown as 70 has reached the target and its band always matches the number."""
    return f"Fernández-Huerta {math.floor(score)} ({reading_ease_band(score)})"


@dataclass(frozen=True)
class LanguageRules:
    """One language's measure, target and what counts as hard."""

    code: str
    name: str
    score_label: str
    target: int
    higher_is_easier: bool
    # Hard words have at least this many syllables. Spanish words are longer on average than
    # English ones (a plain Spanish text has many four-syllable words, "tratamiento",
    # "medicina"), so four would flag nearly every Spanish sentence.
    hard_word_syllables: int
    # Words ending in a full stop that do not end a sentence (lower case, without the dot).
    abbreviations: frozenset
    scorer: textstatistics = field(repr=False, compare=False)

    def score(self, plain):
        """The score of plain text (`plain_text`'s output) in this language's measure."""
        if self.higher_is_easier:
            return float(self.scorer.fernandez_huerta(plain))
        return float(self.scorer.flesch_kincaid_grade(plain))

    def score_markdown(self, markdown_text):
        """The score of Markdown as a reader sees it; None when there are no words."""
        plain = plain_text(markdown_text)
        return self.score(plain) if plain else None

    def within_target(self, score):
        return score >= self.target if self.higher_is_easier else score <= self.target

    def target_text(self):
        if self.higher_is_easier:
            return _("%(target)d or higher") % {"target": self.target}
        return _("grade %(target)d or lower") % {"target": self.target}

    def shown(self, score):
        """A score as staff read it: "Fernández-Huerta 74 (bastante fácil)", "reading grade 5.2"."""
        if self.higher_is_easier:
            return reading_ease_label(score)
        # A very short text can score below grade 0 on the Flesch-Kincaid scale.
        return _("reading grade %(grade).1f") % {"grade": max(score, 0)}

    def syllables(self, word):
        return self.scorer.syllable_count(word)


LANGUAGES = {
    ENGLISH: LanguageRules(
        code=ENGLISH,
        name=_("English"),
        score_label=_("Reading grade"),
        target=READING_GRADE_TARGET,
        higher_is_easier=False,
        hard_word_syllables=4,
        abbreviations=frozenset(
            {"e.g", "i.e", "dr", "mr", "mrs", "ms", "st", "vs", "fig", "approx", "no"}
        ),
        scorer=_scorer("en_US"),
    ),
    SPANISH: LanguageRules(
        code=SPANISH,
        name=_("Spanish"),
        score_label=_("Reading ease (Fernández-Huerta)"),
        target=READING_EASE_TARGET,
        higher_is_easier=True,
        hard_word_syllables=5,
        abbreviations=frozenset(
            {"dr", "dra", "sr", "sra", "srta", "ud", "uds", "p. ej", "ej", "aprox", "núm", "pág"}
        ),
        scorer=_scorer("es"),
    ),
}


def rules_for(language):
    """The rules for a language code ("en", "es"; "en-us" is English); English if unknown."""
    return LANGUAGES.get((language or ENGLISH).split("-")[0].lower(), LANGUAGES[ENGLISH])


# WHAT A READER SEES: blocks of text, one sentence-ending unit each
# ------------------------------------------------------------------------------

# Elements a reader takes in as one unit. A list item or heading with no full stop still ends
# there: scored as running text, a list of short items would read as one very long sentence.
BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "td", "th", "pre"}
# A sentence ends at . ! ? or … (with any closing quotes or brackets) before a space or the
# end of its block, so "2.5 cm" and "www.example.org" do not end one.
SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s|$)")
ENDS_A_SENTENCE = re.compile(SENTENCE_END.pattern + "$")


class HtmlTokens(HTMLParser):
    """Sanitized HTML as a list of tokens, with the text tokens grouped into blocks: what is
    scored (`plain_text_of_html`) and what the section report marks (plain_language.py)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens = []  # ("start", tag, attrs) | ("end", tag) | ("text", data)
        self.blocks = [[]]  # each: indexes of the text tokens in one block

    @classmethod
    def of(cls, html):
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser

    def _boundary(self):
        if self.blocks[-1]:
            self.blocks.append([])

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS or tag == "br":
            self._boundary()
        self.tokens.append(("start", tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self._boundary()
        self.tokens.append(("end", tag))

    def handle_data(self, data):
        self.blocks[-1].append(len(self.tokens))
        self.tokens.append(("text", data))

    def block_texts(self):
        return ["".join(self.tokens[i][1] for i in block) for block in self.blocks]


@functools.lru_cache(maxsize=256)
def plain_text(markdown_text: str) -> str:
    """The words a reader sees in `markdown_text`, one sentence-ending block per line.

    A block that does not end a sentence (a heading, a list item, a lead-in ending in a colon)
    gets a full stop, so the score counts it as the separate unit it is on the page. The last
    texts' are kept, as `render_markdown` keeps its HTML.
    """
    return plain_text_of_html(render_markdown(markdown_text))


def plain_text_of_html(html: str) -> str:
    """`plain_text` of Markdown already rendered (`render_markdown`'s HTML)."""
    lines = []
    for text in HtmlTokens.of(html).block_texts():
        block = " ".join(text.split()).rstrip(":;,— ")
        if block and not ENDS_A_SENTENCE.search(block):
            block += "."
        if block:
            lines.append(block)
    return "\n".join(lines)


def reading_grade(markdown_text: str) -> float:
    """Flesch-Kincaid grade of English Markdown text as a reader sees it (0.0 for empty text)."""
    return LANGUAGES[ENGLISH].score_markdown(markdown_text) or 0.0


def reading_ease(markdown_text: str) -> float:
    """Fernández-Huerta reading ease of Spanish Markdown text as a reader sees it (0.0 for empty
    text)."""
    return LANGUAGES[SPANISH].score_markdown(markdown_text) or 0.0


# THE VERDICT: a page and each of its parts, said once for every screen that shows it
# ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    heading: str  # "Whole page", "Summary", a section's heading
    value: float
    shown: str  # "reading grade 5.2", "Fernández-Huerta 74 (bastante fácil)"
    ok: bool


@dataclass(frozen=True)
class Verdict:
    """An article's readability: the whole page and each written part, each against the
    target. Within the target only when the whole page and every part are: a hard section is
    hard for the reader who lands on it, whatever the page's average."""

    rules: LanguageRules
    whole: Score | None  # None when nothing is written yet
    parts: tuple  # Score of the summary and of each written section, in page order

    @property
    def ok(self):
        return self.whole is not None and self.whole.ok and all(p.ok for p in self.parts)

    @property
    def outside(self):
        return [part for part in self.parts if not part.ok]

    @property
    def target_text(self):
        return self.rules.target_text()

    def said(self):
        """One plain sentence: the page's score and how many parts miss the target."""
        if self.whole is None:
            return str(_("Nothing written yet."))
        if self.ok:
            return str(
                _("Whole page: %(score)s, within the target of %(target)s, and so is every part.")
                % {"score": self.whole.shown, "target": self.target_text}
            )
        if not self.whole.ok:
            return str(
                _("Whole page: %(score)s, outside the target of %(target)s.")
                % {"score": self.whole.shown, "target": self.target_text}
            )
        return str(
            _(
                "Whole page: %(score)s, within the target of %(target)s, but some parts are "
                "not: see the list."
            )
            % {"score": self.whole.shown, "target": self.target_text}
        )


def _score(rules, heading, value):
    return Score(str(heading), value, str(rules.shown(value)), rules.within_target(value))


def verdict(article) -> Verdict:
    """The readability of `article` (saved or not) in its own language's measure."""
    rules = rules_for(article.language)
    whole = rules.score_markdown(article.section_text())
    parts = [(_("Summary"), article.summary)] + [
        (heading, getattr(article, name)) for name, heading in article.SECTIONS
    ]
    scored = []
    for heading, text in parts:
        value = rules.score_markdown(text or "")
        if value is not None:
            scored.append(_score(rules, heading, value))
    return Verdict(
        rules=rules,
        whole=None if whole is None else _score(rules, _("Whole page"), whole),
        parts=tuple(scored),
    )
