"""Every word a reader sees in a template is marked for translation: a Spanish edition is
planned, and must not need the templates rewritten."""

import re
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
PAGE_TEMPLATES = sorted(
    p for p in TEMPLATES.rglob("*.html") if "admin" not in p.relative_to(TEMPLATES).parts
)
TAG = re.compile(r"<[^>]*>", re.S)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
WORD = re.compile(r"[^\W\d_]{2,}")
# Attributes whose values people read (or hear through a screen reader).
READ_ATTRIBUTE = re.compile(r'\b(?:aria-label|alt|title|placeholder)="([^"#]*)"')
# Markup, not language.
ALLOWED = {"DOCTYPE", "html", "nbsp", "amp", "rsaquo", "article", "website"}  # og:type values


def untranslated_text(source):
    """The literal words in a template outside {% translate %} and {% blocktranslate %}."""
    # Rebuild the template with every tag and variable replaced by a neutral mark, and the text
    # inside translation blocks dropped; then look for words outside HTML tags.
    parts = []
    depth = 0
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0]
            if name in ("blocktranslate", "blocktrans", "comment"):
                depth += 1
            elif name in ("endblocktranslate", "endblocktrans", "endcomment"):
                depth -= 1
            parts.append("#")
        elif token.token_type == TokenType.VAR:
            parts.append("#")
        elif token.token_type == TokenType.TEXT and depth == 0:
            parts.append(token.contents)
    text = HTML_COMMENT.sub(" ", "".join(parts))
    found = [v for v in READ_ATTRIBUTE.findall(text) if WORD.search(v)]
    return found + [w for w in WORD.findall(TAG.sub(" ", text)) if w not in ALLOWED]


def test_the_checker_finds_literal_text():
    source = '{% load i18n %}<p>Hello</p><nav aria-label="Main">{% translate "Ok" %}</nav>'
    assert untranslated_text(source) == ["Main", "Hello"]
    assert untranslated_text("{% blocktranslate %}Hi {{ name }}{% endblocktranslate %}") == []


@pytest.mark.parametrize("path", PAGE_TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_template_text_is_marked_for_translation(path):
    assert untranslated_text(path.read_text()) == []
