"""The error pages: a database out of reach gets a 503 with the phone number, not a 500, except
for a public page the page cache has a copy of, which readers get, marked as a copy.

The database is made unreachable for real: the connection is pointed at a closed port
(PostgreSQL) or at a file in a folder that does not exist (SQLite), so every query fails the
way it does when the server is down. Nothing in the ORM is replaced.
"""

import copy
import socket
import time

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, RequestFactory

from clinic_site.core.pagecache.middleware import pages
from clinic_site.sitewide.pages.errors import RETRY_AFTER_SECONDS, server_error
from conditions.models import Condition
from contact.models import Inquiry
from deploy.processes import free_port
from tests.contact.factories import form_post

# The test writes through real connections it closes and reopens: no test transaction.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TEL_LINK = b'href="tel:+15744047246"'


@pytest.fixture
def database(tmp_path):
    """`database.cut()` makes the database unreachable; `database.restore()` brings it back
    (and the end of the test, whatever happens)."""

    class Database:
        saved = copy.deepcopy(connection.settings_dict)

        def cut(self):
            connection.close()
            if connection.vendor == "sqlite":
                connection.settings_dict["NAME"] = str(tmp_path / "gone" / "db.sqlite3")
            else:
                connection.settings_dict["HOST"] = "127.0.0.1"
                connection.settings_dict["PORT"] = free_port()  # nothing listens there

        def hang(self, listener):
            """A PostgreSQL server that takes connections and never answers."""
            connection.close()
            connection.settings_dict["HOST"], connection.settings_dict["PORT"] = (
                listener.getsockname()
            )

        def restore(self):
            connection.close()
            connection.settings_dict.update(copy.deepcopy(self.saved))

    db = Database()
    yield db
    db.restore()


@pytest.fixture
def browser():
    """A client that gets the error page, as a browser would, instead of the exception."""
    return Client(raise_request_exception=False)


def assert_unavailable_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    assert TEL_LINK in response.content
    assert b"574-404-7246" in response.content
    assert b"not working right now" in response.content
    assert "Content-Security-Policy" in response  # the outer middleware still ran


@pytest.mark.parametrize("url", ["/", "/conditions/cluneal-nerve-entrapment/", "/contact/"])
def test_a_page_while_the_database_is_unreachable_is_a_503_with_the_phone_number(
    browser, database, url
):
    database.cut()
    assert_unavailable_page(browser.get(url))


def assert_stored_copy(response, first):
    """The page as stored before the outage, said to be a copy of unknown freshness."""
    assert response.status_code == 200
    assert response.content == first.content
    assert int(response["Age"]) >= 0
    assert response["Cache-Status"] == "clinic; hit; detail=database-unreachable"
    assert response["Cache-Control"] == "no-store"  # no browser keeps it
    assert "ETag" not in response
    assert response["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert not response.cookies


def test_a_page_stored_before_the_outage_is_served_as_a_marked_copy(browser, database):
    """Readers keep reading: the stored page cannot be proven current, so it is served as
    a copy, with its age, not as the current page."""
    url = "/conditions/cluneal-nerve-entrapment/"
    first = browser.get(url)
    assert first.status_code == 200 and "Cache-Status" not in first
    database.cut()
    assert_stored_copy(browser.get(url), first)
    head = browser.head(url)
    assert head.status_code == 200
    assert head["Cache-Status"] == "clinic; hit; detail=database-unreachable"


@pytest.mark.parametrize(
    ("url", "asked_before"),
    [
        ("/treatments/cryoablation/", False),  # a public page nobody asked for yet
        ("/contact/", True),
        ("/search/?q=cluneal", True),
        ("/search/suggest/?q=clun", True),
    ],
)
def test_pages_without_a_copy_forms_and_search_still_get_the_503(
    browser, database, url, asked_before
):
    browser.get("/conditions/cluneal-nerve-entrapment/")
    if asked_before:
        assert browser.get(url).status_code == 200
    database.cut()
    assert_unavailable_page(browser.get(url))


def test_signed_in_staff_never_get_a_copy(browser, database):
    url = "/conditions/cluneal-nerve-entrapment/"
    browser.get(url)
    database.cut()
    browser.cookies[settings.SESSION_COOKIE_NAME] = "a-staff-session"
    assert_unavailable_page(browser.get(url))
    del browser.cookies[settings.SESSION_COOKIE_NAME]
    assert browser.get(url).status_code == 200  # a reader still gets the copy


def test_the_first_request_once_the_database_is_back_is_fresh(browser, database):
    url = "/conditions/cluneal-nerve-entrapment/"
    first = browser.get(url)
    Condition.objects.filter(slug="cluneal-nerve-entrapment").update(title="Changed meanwhile")
    database.cut()
    assert_stored_copy(browser.get(url), first)  # the copy, as it was
    database.restore()
    response = browser.get(url)
    assert response.status_code == 200 and "Cache-Status" not in response
    assert "Changed meanwhile" in response.content.decode()


def test_with_redis_a_copy_outlives_the_workers_memory(browser, database):
    """A restarted worker starts with empty memory: with Redis it still has every worker's
    copies; without it, only what it rendered itself."""
    url = "/conditions/cluneal-nerve-entrapment/"
    first = browser.get(url)
    pages.clear()  # what a restart leaves
    database.cut()
    response = browser.get(url)
    if settings.REDIS_URL:
        assert_stored_copy(response, first)
    else:
        assert_unavailable_page(response)


def test_an_inquiry_sent_during_the_outage_is_told_to_call_and_the_site_recovers_by_itself(
    browser, database
):
    database.cut()
    response = browser.post("/contact/", form_post())
    assert_unavailable_page(response)
    assert b"send it again" in response.content

    database.restore()  # the server is back: the next request connects again
    assert browser.get("/").status_code == 200
    response = browser.post("/contact/", form_post())
    assert response.status_code == 302
    assert Inquiry.objects.count() == 1


def test_a_database_server_that_never_answers_gets_the_503_within_the_connect_timeout(
    browser, database
):
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL connection setting")
    assert settings.DATABASES["default"]["OPTIONS"]["connect_timeout"] == 5  # the default
    with socket.create_server(("127.0.0.1", 0)) as listener:  # listens, never accepts
        database.hang(listener)
        connection.settings_dict["OPTIONS"]["connect_timeout"] = 1  # a quicker test
        started = time.monotonic()
        response = browser.get("/")
        elapsed = time.monotonic() - started
    assert_unavailable_page(response)
    assert elapsed < 10


def test_the_handler_answers_500_for_any_other_error():
    request = RequestFactory().get("/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert TEL_LINK in response.content
