"""Whole-page caching for anonymous readers that can never show stale content.

Each public page is cached under a key that includes a fingerprint of all public content. The
fingerprint is read from the database on every request (one small query), so a staff edit,
publish, unpublish or delete, and a scheduled article whose time has come, all change the key and
show on the very next request, on every worker, with or without a shared cache.
"""

import datetime
import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
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


def cache_public_page(view):
    """Serve anonymous GETs from the cache; staff (and previews) always get a fresh render."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        # The path only: pages ignore query strings, and random ones must not fill the cache.
        path_hash = hashlib.sha256(request.path.encode()).hexdigest()
        key = f"page:{get_language()}:{content_fingerprint()}:{path_hash}"
        cached = cache.get(key)
        if cached is not None:
            status, content_type, content = cached
            return HttpResponse(content, status=status, content_type=content_type)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code == 200 and not response.cookies:
            cache.set(
                key,
                (response.status_code, response["Content-Type"], response.content),
                settings.PAGE_CACHE_SECONDS,
            )
        return response

    return wrapper
