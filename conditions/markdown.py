"""Markdown to safe HTML, done once when an article is saved and never per request."""

import re

import markdown as markdown_lib
import nh3
from django.utils.translation import gettext_lazy as _

# Sections are already <h2> on the page, so editors' own headings start at level 3.
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h3", "h4",
    "blockquote", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td",
    "abbr", "sup", "sub",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
# Only links a patient can safely follow: web pages, phone numbers, email, and our own pages.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

TOP_HEADING = re.compile(r"<(/?)h[12]\b([^>]*)>")

HELP_TEXT = _(
    "Formatting: a blank line starts a new paragraph. **bold**, *italic*, "
    "“- ” at the start of lines for a bulleted list, “1. ” for a numbered list, "
    "### for a sub-heading, [link text](https://example.org) for a link. "
    "HTML is removed."
)


def render_markdown(text: str) -> str:
    """Return sanitized HTML for Markdown `text` ('' for empty text).

    Markdown lets raw HTML through, so the result is cleaned with nh3 (the Ammonia sanitizer):
    scripts, event handlers, iframes, styles and javascript: links are removed.
    """
    if not text or not text.strip():
        return ""
    html = markdown_lib.markdown(
        text.replace("\x00", ""),
        extensions=["extra", "sane_lists"],
        output_format="html",
    )
    # Sections are <h2> on the page: an editor's level-1 or level-2 heading becomes level 3.
    html = TOP_HEADING.sub(r"<\1h3\2>", html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()
