"""Short staff sessions: 30 idle minutes, 12 hours at most; a new password ends the other
sessions; anonymous readers still get no cookie. And the admin keeps search engines out."""

import datetime

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import ConditionFactory, sign_in

pytestmark = pytest.mark.django_db

ADMIN_INDEX = reverse("admin:index")
NEW_PASSWORD = "quince-harbour-meadow-82"


def is_refused(response):
    return response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


@pytest.fixture
def traveller():
    start = datetime.datetime(2026, 11, 2, 8, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as t:
        yield t


def test_staff_are_signed_out_after_30_idle_minutes(client, dana, traveller):
    sign_in(client, dana)
    traveller.shift(datetime.timedelta(minutes=29))
    assert client.get(ADMIN_INDEX).status_code == 200
    traveller.shift(datetime.timedelta(minutes=29))  # 58 minutes in, but never 30 idle
    assert client.get(ADMIN_INDEX).status_code == 200
    traveller.shift(datetime.timedelta(minutes=31))
    assert is_refused(client.get(ADMIN_INDEX))
    assert "_auth_user_id" not in client.session


def test_staff_are_signed_out_12_hours_after_signing_in_however_busy(client, dana, traveller):
    sign_in(client, dana)
    for _ in range(28):  # a request every 25 minutes, for 11 hours 40 minutes
        traveller.shift(datetime.timedelta(minutes=25))
        assert client.get(ADMIN_INDEX).status_code == 200
    traveller.shift(datetime.timedelta(minutes=20))
    assert is_refused(client.get(ADMIN_INDEX))


def test_each_signed_in_request_moves_the_session_end_forward(client, dana, traveller):
    sign_in(client, dana)
    traveller.shift(datetime.timedelta(minutes=10))
    response = client.get(ADMIN_INDEX)
    assert response.cookies["sessionid"]["max-age"] == 30 * 60
    # Stored with the same end, so the session ends on the server too, not only in the browser.
    stored = Session.objects.get(session_key=client.session.session_key)
    assert stored.expire_date == timezone.now() + datetime.timedelta(minutes=30)


def test_the_last_half_hour_counts_down_to_the_12_hour_limit(client, dana, traveller):
    sign_in(client, dana)
    for _ in range(24):  # 11 hours 36 minutes
        traveller.shift(datetime.timedelta(minutes=29))
        assert client.get(ADMIN_INDEX).status_code == 200
    traveller.shift(datetime.timedelta(minutes=14))
    assert client.get(ADMIN_INDEX).cookies["sessionid"]["max-age"] == 10 * 60


@pytest.mark.parametrize("path", ["/", "/conditions/", "article"])
def test_anonymous_readers_get_no_cookie(client, path):
    if path == "article":
        path = ConditionFactory().get_absolute_url()
    for _ in range(2):  # a fresh render, then the stored page
        response = client.get(path)
        assert response.status_code == 200
        assert not response.cookies


def test_changing_a_password_ends_the_users_other_sessions(dana, password):
    here, elsewhere = Client(), Client()
    sign_in(here, dana)
    sign_in(elsewhere, dana)
    response = here.post(
        reverse("admin:password_change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert here.get(ADMIN_INDEX).status_code == 200
    assert is_refused(elsewhere.get(ADMIN_INDEX))


def test_a_superuser_setting_a_password_ends_that_users_sessions(admin_client, dana):
    theirs = sign_in(Client(), dana)
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[dana.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    assert is_refused(theirs.get(ADMIN_INDEX))
    assert admin_client.get(ADMIN_INDEX).status_code == 200


def test_every_answer_from_the_admin_keeps_search_engines_out(
    client, secret_admin_address, dana, password
):
    """robots.txt names no admin address, so the admin says it itself, wherever it lives: its
    pages, the sign-in steps, the setup QR code, redirects and errors."""
    admin = f"/{secret_admin_address}"
    client.post(f"{admin}/login/", {"username": "dana", "password": password})
    client.get(f"{admin}/login/enrol/")
    urls = [f"{admin}/", f"{admin}/login/", f"{admin}/login/enrol/", f"{admin}/login/enrol/qr.svg",
            f"{admin}/conditions/condition/", f"{admin}/no-such-page/"]  # fmt: skip
    for url in urls:
        response = client.get(url)
        assert response["X-Robots-Tag"] == "noindex, nofollow, noarchive", url
    assert client.get(f"{admin}/login/enrol/qr.svg").status_code == 200
    assert "X-Robots-Tag" not in client.get("/")
