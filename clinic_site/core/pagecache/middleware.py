"""Whole public pages for anonymous readers, never stale while the database answers.

A page is stored, in each worker's memory, with the content version it was rendered under
(models.py). A hit checks that version without a query on PostgreSQL (the version each process
hears of, listener.py) and with one primary-key read on SQLite, whatever the amount of
content; a changed version means a fresh render: an edit, publish, delete or many-to-many
change shows on the next request, on every worker. A stored page also expires when the next
scheduled article goes live. Each page carries an ETag, so a browser that has it gets a 304.

**While the database cannot be reached**, an anonymous reader asking for a page some worker
has stored gets that copy, marked: `Age` (seconds since it was rendered), `Cache-Status:
clinic; hit; detail=database-unreachable` (RFC 9211) and `Cache-Control: no-store`, so no
browser keeps a page that may be out of date. The copy comes from this worker's memory or,
with Redis configured, from the copies every worker writes there as it renders (copies.py),
which survive a restart. Pages without a copy, forms, search and anyone signed in get the
503 page with the phone number (clinic_site/sitewide/pages/errors.py). The next request once the
database answers is checked as usual, so it is fresh again.
"""

import functools
import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils import timezone
from django.utils.cache import get_conditional_response

from clinic_site.core.language import language_from_path

from . import copies
from .listener import current_version
from .models import next_publish_time

# What a lost, refused or cut database connection raises (Django wraps the driver's errors).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
# Marks a response served from a copy while the database cannot be reached (RFC 9211).
STALE_STATUS = "clinic; hit; detail=database-unreachable"


@dataclass(frozen=True)
class StoredPage:
    version: int
    expires: object  # a datetime, or None
    etag: str
    headers: tuple
    content: bytes
    stored_at: float = field(default_factory=time.time)  # when it was rendered (the Age)

    def is_current(self, version, now):
        return version == self.version and (self.expires is None or now < self.expires)


class PageStore:
    """Rendered pages in this process's memory, least recently used dropped first.

    In memory rather than in a shared cache: a hit then costs no round trip and no unpickling,
    and correctness needs nothing shared, because every hit is checked against the version.
    """

    def __init__(self, size):
        self.size = size
        self._pages = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self):
        return len(self._pages)

    def get(self, key):
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key, page):
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def clear(self):
        with self._lock:
            self._pages.clear()


pages = PageStore(size=256)


# Query parameters some page is filtered by (`cache_public_page(query=...)`), so part of the key.
# Any other query string is ignored: random ones must not fill the store. A view answers an
# unknown value of its parameter with a redirect, which is never stored, so each keyed
# parameter adds at most one stored page per value the view accepts.
KEYED_QUERY = set()


def page_key(request):
    """Language (from the address alone), path and keyed query; and, since the page is stored
    as the client got it, whether it came over HTTPS (HSTS, the https redirect) and whether the
    client takes gzip (the compressed body)."""
    query = tuple((name, request.GET[name]) for name in sorted(KEYED_QUERY) if name in request.GET)
    gzip = bool(re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))
    language = language_from_path(request.path_info)
    return (language, request.path, query, request.is_secure(), gzip)


def cache_public_page(view=None, *, query=()):
    """Lets PublicPageCacheMiddleware store a view's anonymous GET responses.

    The version (and the next scheduled time) are read before the view renders, so a page is
    never stored under a version newer than its content. Signed-in staff, and so previews,
    always get a fresh render. `query` names the query parameters the page is filtered by
    (`@cache_public_page(query=("area",))`): each value gets a stored page of its own.
    """
    KEYED_QUERY.update(query)
    if view is None:
        return functools.partial(cache_public_page, query=query)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method in ("GET", "HEAD") and not request.user.is_authenticated:
            # The middleware has read the version already when it found a stale page.
            version = getattr(request, "content_version", None) or current_version()
            request.page_cache_version = (version, next_publish_time(timezone.now()))
        return view(request, *args, **kwargs)

    return wrapper


def _etag(response):
    etag = f'"{hashlib.blake2b(response.content, digest_size=12).hexdigest()}"'
    # A compressed body is one encoding of the page: a weak validator, as GZipMiddleware makes.
    return f"W/{etag}" if response.has_header("Content-Encoding") else etag


class PublicPageCacheMiddleware:
    """Serves anonymous readers a stored copy of a public page while its content is unchanged.

    It comes first, so a hit runs no other middleware: the page is stored as it left every
    other one (security headers, HSTS, the CSP, compression, the language), one copy per
    variant the key tells apart. A hit needs only the ALLOWED_HOSTS check, made here; sessions,
    CSRF, authentication and CommonMiddleware are for readers with a session cookie, who are
    never served from here. tests/clinic_site/core/pagecache/ proves each of these.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reader = (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(settings.STATIC_URL)  # whitenoise's, never stored
        )
        page = None
        if reader:
            page = pages.get(page_key(request))
            if page is not None:
                request.get_host()  # the ALLOWED_HOSTS check; raises DisallowedHost (400)
                try:
                    request.content_version = current_version()
                except DATABASE_UNAVAILABLE:
                    return self._stale(page)
                if page.is_current(request.content_version, timezone.now()):
                    return self._replay(request, page)
        response = self.get_response(request)
        if reader and response.status_code == 503 and getattr(response, "database_down", False):
            # Only public pages were ever stored: a form, search or an unknown page finds none.
            copy = page or copies.get(page_key(request))
            return self._stale(copy) if copy is not None else response
        version = getattr(request, "page_cache_version", None)
        if (
            version is not None
            and version[0] is not None
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            etag = _etag(response)
            response["ETag"] = etag
            response.setdefault("Cache-Control", "no-cache")  # browsers keep it, and ask first
            headers = tuple((k, v) for k, v in response.items() if k.lower() != "content-length")
            page = StoredPage(*version, etag, headers, response.content)
            pages.put(page_key(request), page)
            copies.put(page_key(request), page)
            return get_conditional_response(request, etag=etag, response=response)
        return response

    @staticmethod
    def _stale(page):
        """The stored copy, whatever its version, said to be one: for the database outage."""
        response = HttpResponse(page.content)
        for name, value in page.headers:
            if name.lower() not in ("etag", "cache-control"):
                response[name] = value
        response["Content-Length"] = str(len(page.content))
        response["Age"] = str(max(0, int(time.time() - page.stored_at)))
        response["Cache-Status"] = STALE_STATUS
        response["Cache-Control"] = "no-store"
        return response

    @staticmethod
    def _replay(request, page):
        response = HttpResponse(page.content)
        for name, value in page.headers:
            response[name] = value
        response["Content-Length"] = str(len(page.content))
        return get_conditional_response(request, etag=page.etag, response=response)
