"""The sign-in in the admin, for superusers only: second factors reset, lockouts undone, and
the record of who came in."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic_site.core.staff import devices
from tests.factories import sign_in, totp_code

pytestmark = pytest.mark.django_db

USERS = reverse("admin:auth_user_changelist")
ATTEMPTS = reverse("admin:axes_accessattempt_changelist")
RECORDS = [
    reverse("admin:axes_accesslog_changelist"),
    reverse("admin:axes_accessfailurelog_changelist"),
    ATTEMPTS,
]


def action(client, url, name, *objects):
    return client.post(
        url, {"action": name, "_selected_action": [str(o.pk) for o in objects]}, follow=True
    )


def test_a_superuser_can_reset_a_staff_members_second_factor(admin_client, signing_in, dana_app):
    devices.new_backup_codes(dana_app.user)
    theirs = sign_in(Client(), dana_app.user)
    response = action(admin_client, USERS, "reset_second_factor", dana_app.user)
    assert "Second factor reset for dana" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=dana_app.user).exists()
    assert not StaticDevice.objects.filter(user=dana_app.user).exists()
    # Their session ends, and their next sign-in sets up an app again.
    assert theirs.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))
    assert signing_in.password("dana")["Location"] == reverse("admin:staff_enrol")


def test_only_superusers_are_offered_the_reset(client, dana_app):
    """Even staff allowed to change users (no group is, today) cannot reset anyone."""
    manager = dana_app.user
    manager.user_permissions.add(*Permission.objects.filter(codename__endswith="_user"))
    sign_in(client, manager)
    page = BeautifulSoup(client.get(USERS).content, "html.parser")
    offered = {o["value"] for o in page.select("select[name=action] option") if o["value"]}
    assert "reset_second_factor" not in offered
    action(client, USERS, "reset_second_factor", manager)
    assert TOTPDevice.objects.filter(user=manager).exists()


def test_the_user_list_shows_who_has_an_authenticator_app(admin_client, dana):
    page = BeautifulSoup(admin_client.get(USERS).content, "html.parser")
    column = page.select_one("th.column-has_second_factor")
    assert column is not None and "authenticator app" in column.text.lower()
    rows = {row.select_one("th a").text: row for row in page.select("#result_list tbody tr")}
    assert rows["admin"].select_one("td.field-has_second_factor img")["alt"] == "True"
    assert rows["dana"].select_one("td.field-has_second_factor img")["alt"] == "False"


def test_sign_ins_failures_and_lockouts_are_recorded_with_time_and_address(
    admin_client, signing_in, dana_app
):
    guesser = {"REMOTE_ADDR": "198.51.100.23"}
    for _ in range(5):
        signing_in.password("dana", "not-the-password-1", **guesser)
    signing_in.password("dana", REMOTE_ADDR="192.0.2.7")  # locked out, right password or not
    AccessAttempt.objects.all().delete()
    signing_in.password("dana", REMOTE_ADDR="192.0.2.7")
    signing_in.code(totp_code(dana_app), REMOTE_ADDR="192.0.2.7")

    failures = AccessFailureLog.objects.filter(username="dana").order_by("attempt_time")
    assert [f.locked_out for f in failures] == [False] * 4 + [True, True]
    assert {f.ip_address for f in failures} == {"198.51.100.23", "192.0.2.7"}
    sign_in_record = AccessLog.objects.get(username="dana")
    assert sign_in_record.ip_address == "192.0.2.7" and sign_in_record.attempt_time

    for url in RECORDS[:2]:
        page = admin_client.get(url)
        assert page.status_code == 200
        assert "192.0.2.7" in page.content.decode()


def test_the_records_are_for_superusers_only(client, dana_app):
    """Whatever permissions a group is given."""
    dana_app.user.user_permissions.add(*Permission.objects.filter(content_type__app_label="axes"))
    sign_in(client, dana_app.user)
    for url in RECORDS:
        assert client.get(url).status_code == 403, url
    index = client.get(reverse("admin:index")).content.decode()
    assert "/admin/axes/" not in index


def test_the_records_cannot_be_edited_or_deleted_in_the_admin(admin_client, signing_in, dana):
    signing_in.password("dana", "not-the-password-1")
    failure = AccessFailureLog.objects.get()
    url = reverse("admin:axes_accessfailurelog_delete", args=[failure.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert AccessFailureLog.objects.filter(pk=failure.pk).exists()


def test_a_superuser_can_unlock_a_locked_account(admin_client, signing_in, dana_app):
    for _ in range(5):
        signing_in.password("dana", "not-the-password-1", REMOTE_ADDR="198.51.100.23")
    assert signing_in.password("dana").status_code == 429

    locked = AccessAttempt.objects.filter(username="dana")
    response = action(admin_client, ATTEMPTS, "unlock", *locked)
    assert "Unlocked" in response.content.decode()
    assert not AccessAttempt.objects.filter(username="dana").exists()
    assert signing_in.password("dana")["Location"] == reverse("admin:staff_verify")
    # The record of what happened stays.
    assert AccessFailureLog.objects.filter(username="dana", locked_out=True).exists()


def test_nobody_edits_second_factor_devices_by_hand(admin_client):
    for name in ("otp_totp_totpdevice_changelist", "otp_static_staticdevice_changelist"):
        with pytest.raises(Exception, match="Reverse"):
            reverse(f"admin:{name}")
