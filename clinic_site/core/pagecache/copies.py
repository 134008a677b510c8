"""Copies of the stored pages in the shared cache (Redis), for readers while the database is out.

Every worker writes each page it renders here (one SET per render, none per hit), so while the
database cannot be reached any worker, even one restarted since, can answer a reader with the
page as last rendered by any of them (middleware.py). Read only then: a normal hit never
leaves the worker's memory. Without Redis (`REDIS_URL` unset) there are no shared copies and a
worker has only the pages in its own memory.

A copy is kept `PAGECACHE_COPY_DAYS` days after its last render. A Redis outage is ignored
(the cache is configured with IGNORE_EXCEPTIONS): a page renders and is served without it.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches


def _cache():
    return caches["default"] if settings.REDIS_URL else None


def _key(page_key):
    digest = hashlib.blake2b(repr(page_key).encode(), digest_size=16).hexdigest()
    return f"pagecopy:{digest}"


def put(page_key, page):
    if (cache := _cache()) is not None:
        cache.set(_key(page_key), page, timeout=settings.PAGECACHE_COPY_DAYS * 86400)


def get(page_key):
    """The copy, or None; a copy that cannot be read (written by an older release, say) is no
    copy: the reader gets the 503 page, never a 500."""
    if (cache := _cache()) is not None:
        try:
            page = cache.get(_key(page_key))
        except Exception:  # noqa: BLE001 - whatever unpickling an old copy raises
            return None
        # A StoredPage (middleware.py) of this release: with every field the middleware reads.
        fields = ("content", "headers", "stored_at")
        return page if all(hasattr(page, name) for name in fields) else None
    return None
