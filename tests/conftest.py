"""Shared fixtures. Tests run with development settings (debug off at run time, as pytest-django
does) against a real database: SQLite by default, PostgreSQL when DATABASE_URL says so."""

import pytest
from django.core.cache import cache
from django.test import Client

from clinic_site.pagecache.middleware import pages
from tests.factories import sign_in


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


@pytest.fixture
def admin_client(admin_user):
    """pytest-django's admin_client (a client of its own, beside `client`), signed in through
    both factors as the admin requires."""
    return sign_in(Client(), admin_user)
