"""Links between our own pages, written in the sections' Markdown: which page each internal
address points to, for the publish checklist (a link to a page that is not published, or gone)
and for the check on save (an English page links only English pages).

An internal address is one that starts with a single "/": what the editor's link picker
inserts (each page's `get_absolute_url`), and what editors typed before it. It is matched with
the site's own URL patterns, in the language its address is in, so /es/afecciones/… finds the
Spanish condition.
"""

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.urls import Resolver404, resolve
from django.utils import translation

from clinic_site.core.language import language_from_path

from .models import Condition, Guide, Treatment

# The public detail pages of each kind of article, by URL name. The urgent advice has one
# address whatever its version, and the lists are not articles: neither is checked.
KINDS = {
    "conditions:detail": Condition,
    "conditions:treatment": Treatment,
    "conditions:guide": Guide,
}

HREF = re.compile(r"""<a\s[^>]*?href="([^"]*)\"""")


@dataclass(frozen=True)
class Link:
    path: str  # the address as written, without its #fragment or ?query
    article: object = None  # the page it finds, or None: an address that finds no article page
    is_article_address: bool = False  # a detail page's address (the article may be gone)

    @property
    def is_gone(self):
        return self.is_article_address and self.article is None

    @property
    def is_unpublished(self):
        return self.article is not None and not self.article.is_published


def internal_paths(html):
    """The internal addresses linked in sanitized `html`, in order, each once."""
    paths = []
    for href in HREF.findall(html or ""):
        href = href.replace("&amp;", "&")
        if not href.startswith("/") or href.startswith("//"):
            continue
        path = unquote(urlsplit(href).path)
        if path not in paths:
            paths.append(path)
    return paths


def _match(path):
    """(model, language, slug) for an article page's address, else None."""
    code = language_from_path(path)
    with translation.override(code):
        try:
            match = resolve(path)
        except Resolver404:
            return None
    model = KINDS.get(match.view_name)
    if model is None or "slug" not in match.kwargs:
        return None
    language = "es" if code == "es" else "en"
    return model, language, match.kwargs["slug"]


def resolve_links(paths):
    """A `Link` per address: one query per kind of article linked, however many links."""
    matches = {path: _match(path) for path in paths}
    wanted = {}
    for found in matches.values():
        if found:
            model, language, slug = found
            wanted.setdefault(model, set()).add((language, slug))
    articles = {}
    for model, keys in wanted.items():
        slugs = {slug for _language, slug in keys}
        fields = ("title", "slug", "language", "status", "publish_at")
        for article in model.objects.filter(slug__in=slugs).only(*fields):
            articles[(model, article.language, article.slug)] = article
    return [
        Link(path, articles.get(found) if found else None, is_article_address=bool(found))
        for path, found in matches.items()
    ]


def article_links(article):
    """The internal links in every section of a saved `article`."""
    paths = []
    for name, _heading in article.SECTIONS:
        for path in internal_paths(getattr(article, f"{name}_html")):
            if path not in paths:
                paths.append(path)
    return resolve_links(paths)
