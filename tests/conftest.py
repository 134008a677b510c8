"""Shared fixtures. Tests run with development settings (debug off at run time, as pytest-django
does) against a real database: SQLite by default, PostgreSQL when DATABASE_URL says so."""

import pytest
from django.core.cache import cache

from clinic_site.pagecache.middleware import pages


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a fresh folder per test (cookiecutter's habit)."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches: stored pages and rate limits never leak between
    tests (with Redis, too)."""
    cache.clear()
    pages.clear()
    yield
    cache.clear()
    pages.clear()
