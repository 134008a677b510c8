"""Who counts as one client, for the contact rate limit and the staff sign-in lockout alike."""

import pytest
from django.test import RequestFactory

from clinic_site.core.client_ip import client_ip


def request_from(address, **meta):
    return RequestFactory().post("/contact/", REMOTE_ADDR=address, **meta)


@pytest.fixture(autouse=True)
def _no_proxy_header(settings):
    settings.CLIENT_IP_HEADER = ""


def test_a_client_is_its_address():
    assert client_ip(request_from("203.0.113.5")) == "203.0.113.5"
    assert client_ip(request_from("::ffff:203.0.113.5")) == "203.0.113.5"


def test_an_ipv6_client_is_its_64_network():
    assert client_ip(request_from("2001:db8:1:2::1")) == "2001:db8:1:2::"
    assert client_ip(request_from("2001:db8:1:2:ffff::9")) == "2001:db8:1:2::"
    assert client_ip(request_from("2001:db8:1:3::1")) == "2001:db8:1:3::"


def test_a_client_supplied_forwarded_header_is_ignored_unless_configured():
    spoofed = request_from("198.51.100.1", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert client_ip(spoofed) == "198.51.100.1"


def test_the_configured_header_uses_the_address_our_proxy_appended(settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    request = request_from("10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert client_ip(request) == "203.0.113.7"


def test_without_the_configured_header_the_direct_address_is_used(settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    assert client_ip(request_from("10.0.0.1")) == "10.0.0.1"


@pytest.mark.parametrize("value", ["", "not-an-address", "203.0.113.5; rm -rf /"])
def test_no_valid_address_is_none(value):
    assert client_ip(request_from(value)) is None
