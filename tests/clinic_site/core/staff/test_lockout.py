"""Lockout against guessing: after the set number of failures for one account name, or from one
client, sign-in is refused for the set time, with one page for real and unknown accounts."""

import datetime
import http.cookiejar
import itertools
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
import time_machine
from axes.models import AccessFailureLog
from django.urls import reverse

from tests.factories import totp_code, wrong_code

pytestmark = pytest.mark.django_db

WRONG = "not-the-password-1"
# A new client address each time it is asked (one per failure, when a test wants that).
addresses = (f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}" for n in itertools.count(1))


def fail(signing_in, username, times, **meta):
    """`times` wrong passwords for `username`, each from a new client unless meta says."""
    for _ in range(times):
        response = signing_in.password(username, WRONG, **{"REMOTE_ADDR": next(addresses), **meta})
        assert response.status_code in (200, 429)
    return response


def is_locked_out(response):
    return response.status_code == 429 and "Too many failed sign-in attempts" in (
        response.content.decode()
    )


def test_an_account_is_locked_after_five_failures_from_any_clients(signing_in, dana_app):
    assert fail(signing_in, "dana", 4).status_code == 200
    assert is_locked_out(fail(signing_in, "dana", 1))
    # Even the right password, from yet another client.
    assert is_locked_out(signing_in.password("dana", REMOTE_ADDR=next(addresses)))


def test_other_accounts_are_not_locked_with_it(signing_in, dana_app, password, django_user_model):
    django_user_model.objects.create_user("sam", password=password, is_staff=True)
    fail(signing_in, "dana", 5)
    response = signing_in.password("sam", password, REMOTE_ADDR=next(addresses))
    assert response.status_code == 302


def test_a_client_is_locked_after_five_failures_for_any_accounts(signing_in, dana_app):
    for username in ("ann", "ben", "cal", "dee", "eve"):
        signing_in.password(username, WRONG, REMOTE_ADDR="198.51.100.7")
    assert is_locked_out(signing_in.password("dana", REMOTE_ADDR="198.51.100.7"))
    assert signing_in.password("dana", REMOTE_ADDR="198.51.100.8").status_code == 302


def test_the_lockout_page_is_the_same_for_real_and_unknown_accounts(signing_in, dana_app):
    real = fail(signing_in, "dana", 5)
    unknown = fail(signing_in, "nobody-here", 5)
    assert is_locked_out(real) and is_locked_out(unknown)
    assert real.content == unknown.content
    assert b"dana" not in real.content


def test_the_lockout_lasts_the_set_time(signing_in, dana_app):
    with time_machine.travel(datetime.datetime.now(datetime.UTC)) as traveller:
        fail(signing_in, "dana", 5)
        traveller.shift(datetime.timedelta(minutes=14, seconds=50))
        assert signing_in.client.get(reverse("admin:login")).status_code == 200
        traveller.shift(datetime.timedelta(seconds=20))
        response = signing_in.password("dana", REMOTE_ADDR=next(addresses))
    assert response["Location"] == reverse("admin:staff_verify")


def test_a_client_that_keeps_trying_stays_locked_out(signing_in, dana_app):
    guesser = {"REMOTE_ADDR": "198.51.100.9"}
    with time_machine.travel(datetime.datetime.now(datetime.UTC)) as traveller:
        fail(signing_in, "dana", 5, **guesser)
        traveller.shift(datetime.timedelta(minutes=10))
        assert is_locked_out(signing_in.password("dana", **guesser))
        traveller.shift(datetime.timedelta(minutes=10))
        assert is_locked_out(signing_in.password("dana", **guesser))
        traveller.shift(datetime.timedelta(minutes=16))
        assert signing_in.password("dana", **guesser).status_code == 302


def test_wrong_codes_count_towards_the_lockout(client, signing_in, dana_app):
    signing_in.password("dana")
    for _ in range(4):
        assert signing_in.code(wrong_code(dana_app)).status_code == 200
    assert is_locked_out(signing_in.code(wrong_code(dana_app)))
    # The half-done sign-in is dropped: the right code now leads back to the password, which
    # is refused while the lockout lasts.
    assert signing_in.code(totp_code(dana_app))["Location"] == reverse("admin:login")
    assert is_locked_out(signing_in.password("dana", REMOTE_ADDR=next(addresses)))
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))


def test_lockout_reads_the_client_address_from_the_one_setting(settings, signing_in, dana_app):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for username in ("ann", "ben", "cal", "dee", "eve"):
        signing_in.password(username, WRONG, HTTP_X_REAL_IP="192.0.2.44", **proxy)
    assert is_locked_out(signing_in.password("dana", HTTP_X_REAL_IP="192.0.2.44", **proxy))
    # Another client behind the same proxy is not locked out with it.
    assert signing_in.password("dana", HTTP_X_REAL_IP="192.0.2.45", **proxy).status_code == 302
    recorded = set(AccessFailureLog.objects.values_list("ip_address", flat=True))
    assert recorded == {"192.0.2.44"}


class Visitor:
    """A browser as far as the sign-in needs: cookies (CSRF), the form's token, no redirects
    followed (the status says where a sign-in went)."""

    class _NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), self._NoRedirects
        )

    def sign_in(self, site, username, password):
        login = f"{site}/admin/login/"
        html = self.opener.open(login, timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        data = {"csrfmiddlewaretoken": token, "username": username, "password": password}
        try:
            with self.opener.open(login, urllib.parse.urlencode(data).encode(), timeout=30) as r:
                return r.status
        except urllib.error.HTTPError as error:
            return error.code


def test_the_lockout_holds_across_processes_and_machines(two_sites, password):
    one, two = two_sites
    visitor = Visitor()
    for _ in range(3):
        assert visitor.sign_in(one, "dana", WRONG) == 200
    assert visitor.sign_in(two, "dana", WRONG) == 200
    # The fifth failure, on the other site, is the one that locks: it counted the first three.
    assert visitor.sign_in(two, "dana", WRONG) == 429
    assert visitor.sign_in(one, "dana", password) == 429
