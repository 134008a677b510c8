"""The rate limit's settings and its cache keys (who counts as one client: see
tests/clinic_site/test_client_ip.py)."""

import pytest
from django.test import RequestFactory

from contact.ratelimit import Rate, cache_key, parse_rate


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
