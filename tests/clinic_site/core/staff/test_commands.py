"""reset_second_factor (the last superuser's way back in) and purge_login_records."""

import datetime
from io import StringIO

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic_site.core.staff import devices
from tests.factories import sign_in

pytestmark = pytest.mark.django_db


def test_reset_second_factor_lets_a_locked_out_superuser_back_in(signing_in, dana_app):
    """Their phone is lost and they locked themselves out trying: the command undoes both."""
    dana = dana_app.user
    devices.new_backup_codes(dana)
    for _ in range(5):
        signing_in.password("dana", "not-the-password-1")
    assert signing_in.password("dana").status_code == 429

    out = StringIO()
    call_command("reset_second_factor", "dana", stdout=out)
    assert "Second factor reset for dana" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=dana).exists()
    assert not StaticDevice.objects.filter(user=dana).exists()
    assert not AccessAttempt.objects.filter(username="dana").exists()
    assert signing_in.password("dana")["Location"] == reverse("admin:staff_enrol")


def test_reset_second_factor_ends_the_users_sessions(client, dana_app):
    sign_in(client, dana_app.user)
    call_command("reset_second_factor", "dana", stdout=StringIO())
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))


def test_reset_second_factor_names_an_unknown_user_clearly(db):
    with pytest.raises(CommandError, match="No user is called 'nobody'"):
        call_command("reset_second_factor", "nobody")


def test_purge_login_records_keeps_the_set_period(settings, signing_in, dana_app):
    settings.STAFF_LOGIN_RECORD_DAYS = 90
    now = datetime.datetime.now(datetime.UTC)
    for days_ago in (91, 89):
        with time_machine.travel(now - datetime.timedelta(days=days_ago)):
            signing_in.password("nobody", "not-the-password-1")
            sign_in(signing_in.client, dana_app.user)
    out = StringIO()
    call_command("purge_login_records", stdout=out)
    assert "Deleted 1 sign-in and 1 failed-attempt records older than 90 days" in out.getvalue()
    cutoff = now - datetime.timedelta(days=90)
    assert AccessLog.objects.count() == AccessFailureLog.objects.count() == 1
    assert AccessLog.objects.get().attempt_time > cutoff
    assert AccessFailureLog.objects.get().attempt_time > cutoff
