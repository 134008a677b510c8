"""Plain-language help for editors: each section's score and the sentences that make it hard.

A sentence is flagged when it is long (over 20 words) or holds a hard word: one of many
syllables, or one on the clinic's list of plainer words (`PlainerWord`, extended in the
admin), which also says what to write instead. Advice only: nothing here blocks a save.

The text analysed is the sanitized HTML the site shows (`render_markdown`), so link addresses
and Markdown signs are not words, and the flagged sentences can be marked in that same HTML
for the preview. Scores per language: English uses the Flesch-Kincaid grade (lower is easier),
Spanish the Fernández-Huerta reading ease (higher is easier); both count syllables offline with
pyphen (textstat 0.7.8, see readability.py).
"""

import html
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

import nh3
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clinic_site.core.language import ENGLISH

from .markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, ALLOWED_URL_SCHEMES, render_markdown
from .readability import SENTENCE_END, HtmlTokens, plain_text_of_html, rules_for

LONG_SENTENCE_WORDS = 20
FLAG_CLASS = "app-flag"
WORD_FLAG_CLASS = "app-flag--word"


# ANALYSIS
# ------------------------------------------------------------------------------

# Words and numbers (both count towards a sentence's length); hyphens and apostrophes join.
WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*|\d+(?:[.,]\d+)*")
LETTERS = re.compile(r"[^\W\d_]+")
# Plural and verb endings a listed word may carry ("anesthetics", "utilized").
ENDINGS = r"(?:s|es|d|ed)?"


@dataclass
class HardWord:
    text: str
    syllables: int
    suggestion: str = ""
    start: int = 0  # position in the block's text, for marking it
    end: int = 0


@dataclass
class Sentence:
    text: str
    words: int
    hard_words: list
    start: int = 0  # position in the block's text
    end: int = 0

    @property
    def too_long(self):
        return self.words > LONG_SENTENCE_WORDS

    @property
    def flagged(self):
        return self.too_long or bool(self.hard_words)


@dataclass
class SectionReport:
    language: str
    score: float | None  # None for an empty section
    within_target: bool
    score_label: str
    target_text: str
    sentences: list = field(default_factory=list)

    @property
    def flagged(self):
        return [s for s in self.sentences if s.flagged]

    @property
    def summary(self):
        """One line for the status region beside the section."""
        if self.score is None:
            return str(_("Nothing written yet."))
        verdict = (
            _("within the target of %(target)s")
            if self.within_target
            else _("outside the target of %(target)s")
        ) % {"target": self.target_text}
        count = len(self.flagged)
        to_look_at = (
            ngettext("%(count)d sentence to look at.", "%(count)d sentences to look at.", count)
            % {"count": count}
            if count
            else str(_("No long sentences or hard words."))
        )
        return f"{capfirst(rules_for(self.language).shown(self.score))}: {verdict}. {to_look_at}"

    def as_dict(self):
        return {
            "language": self.language,
            "score": None if self.score is None else round(self.score, 1),
            "within_target": self.within_target,
            "score_label": str(self.score_label),
            "target": str(self.target_text),
            "summary": self.summary,
            "sentences": [
                {
                    "text": s.text,
                    "words": s.words,
                    "too_long": s.too_long,
                    "hard_words": [
                        {"word": w.text, "syllables": w.syllables, "suggestion": w.suggestion}
                        for w in s.hard_words
                    ],
                }
                for s in self.flagged
            ],
        }


def split_sentences(text, language=ENGLISH):
    """(start, end) of each sentence in `text`, one block's text (a paragraph, a list item)."""
    rules = rules_for(language)
    spans = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        if match.group().startswith("."):
            before = text[start : match.start()].lower()
            if any(
                before.endswith(a) and (len(before) == len(a) or not before[-len(a) - 1].isalnum())
                for a in rules.abbreviations
            ):
                continue
        following = text[match.end() :].lstrip()[:1]
        if following and following.islower():
            continue  # "approx. two", "p. ej. la"
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    trimmed = []
    for begin, end in spans:
        piece = text[begin:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            trimmed.append((begin + lead, begin + len(piece.rstrip())))
    return trimmed


def plainer_word_pattern(suggestions):
    """One regular expression matching any listed word or phrase (longest first), or None."""
    if not suggestions:
        return None
    alternatives = sorted(suggestions, key=len, reverse=True)
    escaped = [r"\s+".join(re.escape(part) for part in w.split()) for w in alternatives]
    return re.compile(rf"(?<![\w])({'|'.join(escaped)}){ENDINGS}(?![\w])", re.IGNORECASE)


def _normalise(phrase):
    return " ".join(phrase.split()).casefold()


def analyse_sentence(text, start, end, rules, suggestions, pattern):
    piece = text[start:end]
    hard = []
    listed = set()
    if pattern is not None:
        for match in pattern.finditer(piece):
            key = _normalise(match.group(1))
            suggestion = suggestions.get(key, "")
            if suggestion:
                word = match.group(0)
                hard.append(
                    HardWord(
                        word,
                        rules.syllables(word),
                        suggestion,
                        start + match.start(),
                        start + match.end(),
                    )
                )
                listed.update(range(match.start(), match.end()))
    words = list(WORD.finditer(piece))
    for match in words:
        if match.start() in listed:
            continue
        # A compound is as hard as its hardest part ("non-surgical" is not one long word).
        parts = LETTERS.findall(match.group())
        syllables = max((rules.syllables(p) for p in parts), default=0)
        if syllables >= rules.hard_word_syllables:
            hard.append(
                HardWord(match.group(), syllables, "", start + match.start(), start + match.end())
            )
    hard.sort(key=lambda w: w.start)
    return Sentence(" ".join(piece.split()), len(words), hard, start, end)


# THE HTML: blocks of text, and marks around flagged sentences
# ------------------------------------------------------------------------------


def _start_tag(tag, attrs):
    rendered = "".join(
        f" {name}" if value is None else f' {name}="{html.escape(value)}"' for name, value in attrs
    )
    return f"<{tag}{rendered}>"


class _BlockMarks:
    """Where the flagged sentences of one block, and their hard words, start and end.

    Each text token of the block looks up only the marks that fall inside it (by bisection),
    so marking a block costs about its tokens plus its marks, not their product: a section of
    thousands of emphasised hard words ("*utilize* *utilize* ...", one token each) once took
    seconds per preview.
    """

    def __init__(self, sentences):
        self.sentences = sentences  # flagged, in order, not overlapping
        self.sentence_starts = [s.start for s in sentences]
        spans = sorted((w.start, w.end) for s in sentences for w in s.hard_words)
        self.words = []  # the hard words' spans, overlapping ones merged
        for start, stop in spans:
            if self.words and start <= self.words[-1][1]:
                self.words[-1][1] = max(self.words[-1][1], stop)
            else:
                self.words.append([start, stop])
        self.word_starts = [start for start, _stop in self.words]
        self.cuts = sorted(
            {p for s in sentences for p in (s.start, s.end)}
            | {p for start, stop in spans for p in (start, stop)}
        )

    def sentence_at(self, position):
        index = bisect_right(self.sentence_starts, position) - 1
        if index >= 0 and position < self.sentences[index].end:
            return self.sentences[index]
        return None

    def in_word(self, position):
        index = bisect_right(self.word_starts, position) - 1
        return index >= 0 and position < self.words[index][1]

    def cuts_within(self, start, end):
        """The marks' ends strictly inside [start, end), in order."""
        return self.cuts[bisect_right(self.cuts, start) : bisect_left(self.cuts, end)]


def _marked_text(data, offset, marks):
    """`data` (a text token starting at `offset` in its block) with its flagged parts marked."""
    end = offset + len(data)
    cuts = [0, *(position - offset for position in marks.cuts_within(offset, end)), len(data)]
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = html.escape(data[a:b], quote=False)
        position = offset + a
        if marks.sentence_at(position) is None:
            out.append(piece)
            continue
        classes = f"{FLAG_CLASS} {WORD_FLAG_CLASS}" if marks.in_word(position) else FLAG_CLASS
        out.append(f'<mark class="{classes}">{piece}</mark>')
    return "".join(out)


def _clean(marked_html):
    """The sanitizer's rules again, with our marks allowed: the result is safe by
    construction, whatever went into the marking."""
    return nh3.clean(
        marked_html,
        tags=ALLOWED_TAGS | {"mark"},
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes={"mark": {FLAG_CLASS, WORD_FLAG_CLASS}},
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


@dataclass
class Analysis:
    html: str  # exactly what the public page shows for this text
    marked_html: str  # the same, with the flagged sentences and hard words in <mark>
    report: SectionReport


def analyse(markdown_text, language=ENGLISH, suggestions=None):
    """Render `markdown_text` as the site does, score it, and find its hard sentences.

    `suggestions` maps a listed word or phrase (case-folded) to its plainer alternative
    (`PlainerWord.objects.suggestions(language)`).
    """
    rules = rules_for(language)
    suggestions = {_normalise(k): v for k, v in (suggestions or {}).items()}
    pattern = plainer_word_pattern(suggestions)
    rendered = render_markdown(markdown_text)
    parser = HtmlTokens.of(rendered)

    sentences = []
    flagged_by_token = {}
    for block in parser.blocks:
        text = "".join(parser.tokens[i][1] for i in block)
        block_sentences = [
            analyse_sentence(text, start, end, rules, suggestions, pattern)
            for start, end in split_sentences(text, rules.code)
        ]
        sentences += block_sentences
        flagged = [s for s in block_sentences if s.flagged]
        marks = _BlockMarks(flagged) if flagged else None
        offset = 0
        for index in block:
            data = parser.tokens[index][1]
            if marks:
                flagged_by_token[index] = (offset, marks)
            offset += len(data)

    out = []
    for index, token in enumerate(parser.tokens):
        if token[0] == "start":
            out.append(_start_tag(token[1], token[2]))
        elif token[0] == "end":
            out.append(f"</{token[1]}>")
        elif index in flagged_by_token:
            offset, marks = flagged_by_token[index]
            out.append(_marked_text(token[1], offset, marks))
        else:
            out.append(html.escape(token[1], quote=False))

    text = plain_text_of_html(rendered)  # rendered once: rendering is the dearest step
    score = rules.score(text) if text else None
    report = SectionReport(
        language=rules.code,
        score=score,
        within_target=score is None or rules.within_target(score),
        score_label=rules.score_label,
        target_text=rules.target_text(),
        sentences=sentences,
    )
    marked = _clean("".join(out)) if flagged_by_token else rendered
    return Analysis(html=rendered, marked_html=marked, report=report)
