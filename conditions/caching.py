"""Whole-page caching for anonymous readers that can never show stale content.

Each public page is stored with a fingerprint of all public content. The fingerprint is read from
the database on every request (one small query), so a staff edit, publish, unpublish or delete,
and a scheduled article whose time has come, all change it and show on the very next request, on
every worker, with or without a shared cache.
"""

import datetime
import functools
import hashlib
import threading
from collections import OrderedDict

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Count, Max, Q, Value
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from clinic_site.models import ClinicDetails

from .models import Article, ArticleImage, Condition, Guide, Reference, Treatment


def _fingerprint_queryset(now):
    visible = Q(status=Article.Status.PUBLISHED, publish_at__lte=now)
    parts = [
        model.objects.order_by()
        .annotate(k=Value(index))
        .values("k")
        .annotate(changed=Max("updated_at"), rows=Count("pk"), live=Count("pk", filter=visible))
        .values_list("k", "changed", "rows", "live")
        for index, model in enumerate((Condition, Treatment, Guide))
    ]
    # Sources and images can be saved, or deleted, without their article being saved: their
    # own tables count too. Every row counts (`live` is all rows), published article or not.
    others = [
        model.objects.order_by()
        .annotate(k=Value(index))
        .values("k")
        .annotate(changed=Max("updated_at"), rows=Count("pk"), live=Count("pk"))
        .values_list("k", "changed", "rows", "live")
        for index, model in ((9, ClinicDetails), (10, Reference), (11, ArticleImage))
    ]
    return parts[0].union(*parts[1:], *others, all=True)


# A time no real request has: it marks where "now" goes among the compiled query's parameters.
_NOW_MARKER = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


@functools.cache
def _compiled_fingerprint_query(alias):
    """The fingerprint query as SQL, built once per process and database.

    Building this six-part UNION through the ORM costs about 2 ms; running its SQL about
    0.05 ms. Only "now" changes from request to request, so it is swapped in as a parameter.
    """
    connection = connections[alias]
    sql, params = _fingerprint_queryset(_NOW_MARKER).query.get_compiler(alias).as_sql()
    return sql, tuple(params), connection.ops.adapt_datetimefield_value(_NOW_MARKER)


def content_fingerprint(alias=DEFAULT_DB_ALIAS) -> str:
    """A short hash that changes whenever anything a public page shows changes (one query)."""
    connection = connections[alias]
    sql, params, marker = _compiled_fingerprint_query(alias)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [now if p == marker else p for p in params])
        rows = sorted(cursor.fetchall(), key=repr)
    return hashlib.blake2b(repr(rows).encode(), digest_size=8).hexdigest()


def request_fingerprint(request):
    """The content fingerprint, read once per request."""
    if not hasattr(request, "_content_fingerprint"):
        request._content_fingerprint = content_fingerprint()
    return request._content_fingerprint


class _PageStore:
    """Rendered public pages kept in this process's memory, newest last.

    In memory rather than in the shared cache: a hit then costs no cache round trip and no
    unpickling, and correctness needs nothing shared, because every hit is checked against the
    fingerprint read from the database. Each worker renders a page once per content change.
    """

    def __init__(self, size):
        self.size = size
        self._pages = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._pages.get(key)
            if entry is not None:
                self._pages.move_to_end(key)
            return entry

    def put(self, key, entry):
        with self._lock:
            self._pages[key] = entry
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def clear(self):
        with self._lock:
            self._pages.clear()


pages = _PageStore(size=256)


def _page_key(request):
    # The path only: pages ignore query strings, and random ones must not fill the store.
    return (get_language(), request.path)


def cache_public_page(view):
    """Marks a view's anonymous GET responses as cacheable by PublicPageCacheMiddleware.

    Staff (and so previews) always get a fresh render: their responses are never marked.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method in ("GET", "HEAD") and not request.user.is_authenticated:
            request._cache_public_page = True
        return view(request, *args, **kwargs)

    return wrapper


class PublicPageCacheMiddleware:
    """Serves anonymous readers a stored copy of a public page while its content is unchanged.

    It sits after the security, compression and CSP middleware (their headers apply to every
    response) and before sessions, CSRF and authentication, which a reader without a session
    cookie does not need: a hit costs the one fingerprint query and nothing else. A page is
    stored on its way out, with the headers the inner middleware gave it, only when its view
    asked for it (`cache_public_page`), it answered 200, and it sets no cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        anonymous = settings.SESSION_COOKIE_NAME not in request.COOKIES
        if request.method in ("GET", "HEAD") and anonymous:
            entry = pages.get(_page_key(request))
            if entry is not None:
                request.get_host()  # the ALLOWED_HOSTS check CommonMiddleware would make
                if entry[0] == request_fingerprint(request):
                    return self._replay(entry)
        response = self.get_response(request)
        if (
            getattr(request, "_cache_public_page", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            headers = [(k, v) for k, v in response.items() if k.lower() != "content-length"]
            pages.put(_page_key(request), (request_fingerprint(request), headers, response.content))
        return response

    @staticmethod
    def _replay(entry):
        _fingerprint, headers, content = entry
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        response["Content-Length"] = str(len(content))
        return response
