"""Small static files written into the page itself, to spare the reader a request."""

import functools
from urllib.parse import quote

from django import template
from django.contrib.staticfiles import finders

register = template.Library()


@functools.cache
def _read(path):
    with open(finders.find(path), encoding="utf-8") as file:
        return file.read()


@register.simple_tag
def svg_data_uri(path):
    """A `data:` address holding the static SVG at `path` (the favicon: every page declares it,
    and fetching it was a request of its own). CSP: img-src allows data: images."""
    svg = _read(path).strip().replace('"', "'")  # single quotes need no escaping in the URI
    return "data:image/svg+xml," + quote(svg, safe="/:='")
