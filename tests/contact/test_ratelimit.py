"""The rate limit's settings and who counts as one client."""

import pytest
from django.test import RequestFactory

from contact.ratelimit import Rate, cache_key, client_address, parse_rate


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


def test_a_client_is_its_address():
    assert client_address(request_from("203.0.113.5")) == "203.0.113.5"
    assert client_address(request_from("::ffff:203.0.113.5")) == "203.0.113.5"


def test_an_ipv6_client_is_counted_by_its_64_network():
    first = request_from("2001:db8:1:2::1")
    second = request_from("2001:db8:1:2:ffff::9")
    other = request_from("2001:db8:1:3::1")
    assert client_address(first) == "2001:db8:1:2::/64"
    assert cache_key(first) == cache_key(second) != cache_key(other)


def test_a_client_supplied_forwarded_header_is_ignored_unless_configured(settings):
    settings.CONTACT_CLIENT_IP_HEADER = ""
    spoofed = request_from("198.51.100.1", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert client_address(spoofed) == "198.51.100.1"


def test_the_configured_header_uses_the_address_our_proxy_appended(settings):
    settings.CONTACT_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    request = request_from("10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert client_address(request) == "203.0.113.7"


def test_addresses_are_not_stored_in_cache_keys_in_the_clear():
    assert "203.0.113.5" not in cache_key(request_from("203.0.113.5"))
