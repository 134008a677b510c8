"""The rate limit: its settings, its keys (who counts as one client: see
tests/clinic_site/core/test_client_ip.py), its windows, and its count under forms sent at once."""

import datetime
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from io import StringIO

import httpx
import pytest
import time_machine
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from contact.forms import HONEYPOT_FIELD
from contact.models import Inquiry, RateLimitCount
from contact.ratelimit import Rate, cache_key, is_limited, parse_rate, take
from tests.contact.factories import form_post


@pytest.mark.parametrize(
    ("value", "rate"),
    [("5/10m", Rate(5, 600)), ("100000/1s", Rate(100000, 1)), ("3/h", Rate(3, 3600))],
)
def test_rates_are_read_from_settings_strings(value, rate):
    assert parse_rate(value) == rate


@pytest.mark.parametrize("value", ["", "five per minute", "5/10", "5/10y", "-1/1m"])
def test_a_malformed_rate_is_a_clear_error(value):
    with pytest.raises(ValueError, match="CONTACT_RATE_LIMIT"):
        parse_rate(value)


def request_from(address, **meta):
    return RequestFactory().post("/contact/", REMOTE_ADDR=address, **meta)


def test_an_ipv6_client_is_counted_by_its_64_network():
    first = request_from("2001:db8:1:2::1")
    second = request_from("2001:db8:1:2:ffff::9")
    other = request_from("2001:db8:1:3::1")
    assert cache_key(first) == cache_key(second) != cache_key(other)


def test_addresses_are_not_stored_in_cache_keys_in_the_clear():
    assert "203.0.113.5" not in cache_key(request_from("203.0.113.5"))


# Counting -------------------------------------------------------------------------------------

STORES = [
    pytest.param("database", id="database"),
    pytest.param(
        "redis",
        id="redis",
        marks=pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL"),
    ),
]


@pytest.mark.django_db
def test_in_the_database_a_client_gets_five_a_window_and_a_new_window_after_the_period(
    settings,
):
    settings.REDIS_URL = ""  # counted in the database
    settings.CONTACT_RATE_LIMIT = "5/10m"
    request = request_from("203.0.113.5")
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)) as clock:
        assert [take(request) for _ in range(7)] == [True] * 5 + [False] * 2
        assert is_limited(request)
        assert not is_limited(request_from("203.0.113.6"))  # another client
        clock.shift(datetime.timedelta(minutes=9, seconds=59))
        assert not take(request)
        clock.shift(datetime.timedelta(seconds=2))  # the window started 10 min ago has ended
        assert not is_limited(request)
        assert take(request)


@pytest.mark.django_db
def test_in_the_cache_a_client_gets_five_a_window_and_a_new_window_after_the_period(
    settings, wait_until
):
    """Redis when REDIS_URL is set, else the local-memory cache through the same add and incr.
    The cache ends a window by itself (a key's expiry), on its own clock: a short one here."""
    settings.REDIS_URL = settings.REDIS_URL or "redis://counted-in-the-cache"
    settings.CONTACT_RATE_LIMIT = "5/3s"
    request = request_from("203.0.113.5")
    assert [take(request) for _ in range(7)] == [True] * 5 + [False] * 2
    assert is_limited(request)
    assert not is_limited(request_from("203.0.113.6"))
    assert not RateLimitCount.objects.exists()
    wait_until(lambda: not is_limited(request), timeout=10, what="the window to end")
    assert take(request)


@pytest.mark.django_db
def test_the_database_keeps_no_address_and_purges_ended_windows(settings):
    settings.REDIS_URL = ""
    now = timezone.now()
    with time_machine.travel(now - datetime.timedelta(minutes=11)):
        take(request_from("203.0.113.5"))
    take(request_from("203.0.113.6"))
    assert not RateLimitCount.objects.filter(key__contains="203.0.113").exists()
    out = StringIO()
    call_command("purge_inquiries", stdout=out)
    assert "Deleted 1 ended rate limit window(s)." in out.getvalue()
    assert list(RateLimitCount.objects.values_list("count", flat=True)) == [1]


def patient_sends_the_form(site, start_together):
    """GET the form like a browser, wait for the others, then POST it with what the page gave
    (hidden fields, and any cookie: carried by hand, as production marks cookies Secure and
    this is plain HTTP on loopback): the status code."""
    with httpx.Client(base_url=site.url, timeout=60) as browser:
        page = browser.get("/contact/")
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
        data = {**form_post(), **fields, HONEYPOT_FIELD: ""}
        cookies = "; ".join(f"{name}={value}" for name, value in page.cookies.items())
        start_together.wait(timeout=60)
        response = browser.post("/contact/", data=data, headers={"Cookie": cookies})
        return response.status_code


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("where", STORES)
def test_twenty_forms_sent_at_once_by_one_client_are_accepted_exactly_five_times(
    gunicorn_site, where
):
    """The attack: twenty valid forms from one address at the same moment, to 4 gunicorn
    worker processes. Checking the count and then adding to it let 7 to 9 through."""
    site = gunicorn_site(workers=4, **({"REDIS_URL": ""} if where == "database" else {}))
    start_together = threading.Barrier(20)
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda _: patient_sends_the_form(site, start_together), range(20)))
    assert sorted(answers) == [302] * 5 + [429] * 15, f"{sorted(answers)}\n{site.log()[-2000:]}"
    assert Inquiry.objects.count() == 5
    assert "Traceback" not in site.log()
