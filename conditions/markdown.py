"""Markdown to safe HTML, done once when an article is saved and never per request.

The parser is markdown-it-py, a CommonMark parser built to take time in proportion to its input
whatever the input is. Python-Markdown, used before, took time growing with the square of some
inputs (a run of 4,000 "[" took 3.9 s; a preview of 20,000 held a worker for 30 s): one editor's
paste could stall the site. CommonMark renders the clinic's articles as Python-Markdown did (the
seeded articles give the same HTML, but for spaces inside the text), with two differences
editors may notice: a list may start right after a line of text, without a blank line, and a
list nested under an item needs only the item's own indentation (two spaces after "- ").
`bench/editor_input.py` measures the worst inputs found.

What the site uses: paragraphs, headings, bold and italic, bulleted and numbered lists, links,
block quotes, code, rules, tables, and images that are the site's own files (the article's
images, which the editor's image button inserts). Raw HTML is parsed as CommonMark says, then
removed by the sanitizer unless it is one of the few tags below.
"""

import functools
import re

import nh3
from django.conf import settings
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt

# Sections are already <h2> on the page, so editors' own headings start at level 3.
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h3", "h4",
    "blockquote", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td",
    "abbr", "sup", "sub", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}, "img": {"src", "alt"},
}  # fmt: skip
# Only links a patient can safely follow: web pages, phone numbers, email, and our own pages.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

TOP_HEADING = re.compile(r"<(/?)h[12]\b([^>]*)>")
# An image whose address the sanitizer removed (not one of our files): removed whole; one
# typed as raw HTML without alt text gets an empty one (valid HTML; the checklist's images
# item is about the article's images).
IMAGE_WITHOUT_SOURCE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
IMAGE_WITHOUT_ALT = re.compile(r"<img((?:(?!\salt=)[^>])*)>")

HELP_TEXT = _(
    "Formatting: a blank line starts a new paragraph. **bold**, *italic*, "
    "“- ” at the start of lines for a bulleted list, “1. ” for a numbered list, "
    "### for a sub-heading, [link text](https://example.org) for a link. "
    "HTML is removed."
)

# CommonMark (raw HTML parsed, for the sanitizer to judge), plus tables. No typographic
# replacements, no bare web addresses turned into links: Python-Markdown did neither. Block
# nesting (quotes in lists in quotes...) stops at 20 levels, the preset's limit.
PARSER = MarkdownIt("commonmark").enable("table")
# Links are judged by the sanitizer alone, as before: markdown-it's own check would leave a
# javascript: link showing as the Markdown typed; nh3 keeps its text and drops the address.
PARSER.validateLink = lambda url: True


def is_own_file(url):
    """Is `url` one of the site's own files (an article image, a diagram shipped with the
    site)? Only those may show as images: an image from elsewhere would be a request to
    another site from every reader's browser (and the CSP blocks it anyway)."""
    url = url or ""
    return (
        any(url.startswith(prefix) for prefix in (settings.MEDIA_URL, settings.STATIC_URL))
        and not url.startswith("//")
        and ".." not in url
    )


def render_image(self, tokens, idx, options, env):
    """`![alt](address)`: an image when the address is one of our files (the editor's image
    button inserts the article's own), else its alt text alone."""
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    src = token.attrGet("src") or ""
    if not is_own_file(src):
        return escape(alt)
    return f'<img src="{escape(src)}" alt="{escape(alt)}">'


PARSER.add_render_rule("image", render_image)


def keep_own_image_sources(element, attribute, value):
    """The sanitizer's say on attributes: an image's address must be one of our files (raw
    HTML typed in the text goes through here too)."""
    if element == "img" and attribute == "src" and not is_own_file(value):
        return None
    return value


@functools.lru_cache(maxsize=256)
def render_markdown(text: str) -> str:
    """Return sanitized HTML for Markdown `text` ('' for empty text).

    Markdown lets raw HTML through, so the result is cleaned with nh3 (the Ammonia sanitizer):
    scripts, event handlers, iframes, styles and javascript: links are removed.

    The same text gives the same HTML, so the last texts rendered are kept (a few hundred
    sections, a few MB at most): a save renders each section and then scores it, and each
    live preview renders every section again though the editor changed one.
    """
    if not text or not text.strip():
        return ""
    html = PARSER.render(text.replace("\x00", ""))
    # Sections are <h2> on the page: an editor's level-1 or level-2 heading becomes level 3.
    html = TOP_HEADING.sub(r"<\1h3\2>", html)
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=keep_own_image_sources,
    )
    html = IMAGE_WITHOUT_SOURCE.sub("", html)
    return IMAGE_WITHOUT_ALT.sub(r'<img\1 alt="">', html).strip()
