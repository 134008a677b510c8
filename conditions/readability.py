"""Reading grade of article text, so editors and tests can hold pages to grade 8 or lower.

The score is the Flesch-Kincaid grade from textstat (pinned to 0.7.8, which counts syllables
offline with pyphen: newer releases download a dictionary at run time). It is computed on what a
reader sees, not on the Markdown source: link targets, `**`, `###` and list markers are not words.
"""

import re
from html.parser import HTMLParser

import textstat

from .markdown import render_markdown

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
    parser = _BlockText()
    parser.feed(render_markdown(markdown_text))
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
    """Flesch-Kincaid grade of Markdown text as a reader sees it (0.0 for empty text).

    Roughly the US school grade needed to read it; the site aims for 8 or lower.
    """
    text = plain_text(markdown_text)
    if not text:
        return 0.0
    return float(textstat.flesch_kincaid_grade(text))


def section_grades(article) -> dict[str, float]:
    """Reading grade of an article's summary and of each non-empty section, by field name."""
    grades = {"summary": reading_grade(article.summary)}
    for name, _heading in article.SECTIONS:
        text = getattr(article, name)
        if text and text.strip():
            grades[name] = reading_grade(text)
    return grades
