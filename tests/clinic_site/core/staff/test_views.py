"""The two-step sign-in: password, then a code from the authenticator app or a backup code; and,
the first time, setting the app up."""

import base64
import datetime
import re
import time

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic_site.core.staff import devices
from conditions.models import Article
from tests.factories import AuthenticatorFactory, ConditionFactory, totp_code, wrong_code

pytestmark = pytest.mark.django_db

ADMIN_INDEX = reverse("admin:index")
LOGIN = reverse("admin:login")


def admin_pages():
    return [
        ADMIN_INDEX,
        reverse("admin:conditions_condition_changelist"),
        reverse("admin:password_change"),
        reverse("admin:staff_backup_codes"),
    ]


def is_refused(response):
    return response.status_code == 302 and response["Location"].startswith(LOGIN)


# Password, then code ---------------------------------------------------------------------------


def test_the_password_alone_never_reaches_the_admin(client, signing_in, dana_app):
    response = signing_in.password("dana")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:staff_verify")
    for url in admin_pages():
        assert is_refused(client.get(url)), url


def test_between_the_two_steps_nobody_is_signed_in_anywhere(client, signing_in, dana_app):
    """Not even outside the admin: an editor's draft preview stays hidden."""
    draft = ConditionFactory(status=Article.Status.DRAFT)
    signing_in.password("dana")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_the_current_code_from_the_app_signs_in(client, signing_in, dana_app):
    signing_in.password("dana")
    response = signing_in.code(totp_code(dana_app))
    assert response.status_code == 302
    assert response["Location"] == ADMIN_INDEX
    for url in admin_pages():
        assert client.get(url).status_code == 200, url


def test_the_page_asked_for_is_reached_after_both_steps(client, signing_in, dana_app):
    inquiries = reverse("admin:contact_inquiry_changelist")
    signing_in.password("dana", next_url=inquiries)
    assert signing_in.code(totp_code(dana_app))["Location"] == inquiries


def test_a_next_address_on_another_site_is_ignored(signing_in, dana_app):
    signing_in.password("dana", next_url="https://evil.example/")
    assert signing_in.code(totp_code(dana_app))["Location"] == ADMIN_INDEX


def test_a_code_cannot_be_used_twice(client, signing_in, dana_app):
    code = totp_code(dana_app)
    signing_in.password("dana")
    signing_in.code(code)
    signing_in.sign_out()
    signing_in.password("dana")
    response = signing_in.code(code)
    assert response.status_code == 200
    assert "That code did not work" in response.content.decode()
    assert is_refused(client.get(ADMIN_INDEX))


def test_after_wrong_codes_any_code_waits_out_the_delay_and_says_so(
    client, signing_in, dana_app, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    with time_machine.travel(datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)) as clock:
        signing_in.password("dana")
        # Three wrong codes in a row, each after the delay the one before set (1 s, then 2 s).
        for pause in (0, 1, 2):
            clock.shift(pause)
            wrong = signing_in.code(wrong_code(dana_app))
            assert "That code did not work" in wrong.content.decode()
        # Now any code, the right one too, must wait 4 seconds, and is not counted as wrong.
        response = signing_in.code(totp_code(dana_app))
        assert "Wait 4 seconds, then type the code" in response.content.decode()
        assert "That code did not work" not in response.content.decode()
        assert is_refused(client.get(ADMIN_INDEX))
        clock.shift(4)
        assert signing_in.code(totp_code(dana_app)).status_code == 302
        assert client.get(ADMIN_INDEX).status_code == 200


def test_a_code_from_another_users_app_is_refused(client, signing_in, dana_app):
    sam = User.objects.create_user("sam", is_staff=True)
    sams_app = AuthenticatorFactory(user=sam)
    signing_in.password("dana")
    assert signing_in.code(totp_code(sams_app)).status_code == 200
    assert is_refused(client.get(ADMIN_INDEX))


def test_a_backup_code_signs_in_once(client, signing_in, dana_app):
    first, second, *_ = devices.new_backup_codes(dana_app.user)
    signing_in.password("dana")
    # As it is shown ("abcd efgh"), in capitals, with a dash: all the same code.
    assert signing_in.code(f" {first[:4].upper()}-{first[4:]} ").status_code == 302
    assert client.get(ADMIN_INDEX).status_code == 200
    signing_in.sign_out()

    signing_in.password("dana")
    assert signing_in.code(first).status_code == 200
    assert is_refused(client.get(ADMIN_INDEX))
    assert signing_in.code(second).status_code == 302
    assert StaticToken.objects.filter(device__user=dana_app.user).count() == 8


def test_a_code_without_the_password_step_is_refused(client, signing_in, dana_app):
    response = signing_in.code(totp_code(dana_app))
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert is_refused(client.get(ADMIN_INDEX))


def test_the_second_step_must_follow_within_ten_minutes(client, signing_in, dana_app):
    with time_machine.travel(datetime.datetime.now(datetime.UTC)) as traveller:
        signing_in.password("dana")
        traveller.shift(datetime.timedelta(minutes=11))
        response = signing_in.code(totp_code(dana_app))
    assert response["Location"] == LOGIN
    assert is_refused(client.get(ADMIN_INDEX))


def test_a_password_change_between_the_steps_voids_the_first(signing_in, dana_app):
    signing_in.password("dana")
    dana_app.user.set_password("another-long-passphrase-9")
    dana_app.user.save()
    assert signing_in.code(totp_code(dana_app))["Location"] == LOGIN


def test_a_wrong_password_gets_the_same_answer_for_real_and_unknown_accounts(signing_in, dana):
    real = signing_in.password("dana", "wrong-password-000")
    unknown = signing_in.password("nobody", "wrong-password-000")
    assert real.status_code == unknown.status_code == 200

    def message(response):
        return BeautifulSoup(response.content, "html.parser").select_one(".errornote").text

    assert message(real) == message(unknown)
    assert "correct username and password" in message(real)


def test_a_non_staff_account_with_the_right_password_is_refused(signing_in, dana):
    dana.is_staff = False
    dana.save()
    response = signing_in.password("dana")
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_a_session_signed_in_without_the_second_factor_is_signed_out(client, dana):
    """What a session from before the second factor (or a bare force_login) looks like."""
    draft = ConditionFactory(status=Article.Status.DRAFT)
    client.force_login(dana)
    assert is_refused(client.get(ADMIN_INDEX))
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "_auth_user_id" not in client.session


def test_the_sign_in_pages_are_never_cached(client, signing_in, dana_app):
    assert "no-store" in client.get(LOGIN)["Cache-Control"]
    signing_in.password("dana")
    assert "no-store" in client.get(reverse("admin:staff_verify"))["Cache-Control"]


# First sign-in: setting up the app --------------------------------------------------------------


def secret_on(page):
    key = BeautifulSoup(page.content, "html.parser").select_one("#setup-key").text
    return base64.b32decode(re.sub(r"\s", "", key))


def code_for(secret, device):
    return f"{TOTP(secret, device.step, device.t0, device.digits).token():06d}"


def test_staff_without_an_app_are_taken_to_set_one_up(client, signing_in, dana):
    response = signing_in.password("dana")
    assert response["Location"] == reverse("admin:staff_enrol")
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = BeautifulSoup(page.content, "html.parser")
    image = html.select_one(f'img[src="{reverse("admin:staff_enrol_qr")}"]')
    assert image["alt"].startswith("QR code")
    assert len(secret_on(page)) == 20
    for url in admin_pages():
        assert is_refused(client.get(url)), url


def test_the_qr_code_is_an_svg_from_this_site_holding_the_key(client, signing_in, dana):
    signing_in.password("dana")
    secret = secret_on(client.get(reverse("admin:staff_enrol")))
    response = client.get(reverse("admin:staff_enrol_qr"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "no-store" in response["Cache-Control"]
    svg = response.content.decode()
    assert svg.startswith("<svg") and "style=" not in svg
    device = TOTPDevice.objects.get(user=dana)
    assert device.bin_key == secret
    assert not device.confirmed


def test_the_qr_code_is_shown_to_nobody_else(client, signing_in, dana_app):
    assert client.get(reverse("admin:staff_enrol_qr")).status_code == 404
    signing_in.password("dana")  # enrolled already: nothing to show
    assert client.get(reverse("admin:staff_enrol_qr")).status_code == 404


def test_a_wrong_code_does_not_finish_setting_up(client, signing_in, dana):
    signing_in.password("dana")
    page = client.get(reverse("admin:staff_enrol"))
    device = TOTPDevice.objects.get(user=dana)
    assert device.bin_key == secret_on(page)
    response = signing_in.enrol(wrong_code(device))
    assert response.status_code == 200
    assert "That code did not match" in response.content.decode()
    assert not TOTPDevice.objects.get(user=dana).confirmed
    assert is_refused(client.get(ADMIN_INDEX))


def test_setting_up_the_app_signs_in_and_shows_backup_codes_once(client, signing_in, dana):
    signing_in.password("dana", next_url=reverse("admin:contact_inquiry_changelist"))
    page = client.get(reverse("admin:staff_enrol"))
    device = TOTPDevice.objects.get(user=dana)
    response = signing_in.enrol(code_for(secret_on(page), device))
    assert response["Location"] == reverse("admin:staff_backup_codes")

    shown = BeautifulSoup(client.get(response["Location"]).content, "html.parser")
    codes = [li.text.replace(" ", "") for li in shown.select("#backup-codes li")]
    assert len(codes) == 10
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=dana).values_list("token", flat=True)
    )
    assert shown.find("a", string=re.compile("continue"))["href"] == reverse(
        "admin:contact_inquiry_changelist"
    )
    again = BeautifulSoup(client.get(response["Location"]).content, "html.parser")
    assert again.select("#backup-codes li") == []
    assert "10 unused backup codes" in again.text

    assert TOTPDevice.objects.get(user=dana).confirmed
    assert client.get(ADMIN_INDEX).status_code == 200


def test_the_code_used_to_set_up_cannot_sign_in_again(client, signing_in, dana):
    signing_in.password("dana")
    page = client.get(reverse("admin:staff_enrol"))
    device = TOTPDevice.objects.get(user=dana)
    code = code_for(secret_on(page), device)
    signing_in.enrol(code)
    signing_in.sign_out()
    signing_in.password("dana")
    assert signing_in.code(code).status_code == 200
    assert is_refused(client.get(ADMIN_INDEX))


def test_each_step_sends_whoever_is_on_the_wrong_one_to_the_right_one(client, signing_in, dana):
    signing_in.password("dana")
    assert client.get(reverse("admin:staff_verify"))["Location"] == reverse("admin:staff_enrol")
    AuthenticatorFactory(user=dana)
    assert client.get(reverse("admin:staff_enrol"))["Location"] == reverse("admin:staff_verify")


def test_new_backup_codes_replace_all_the_old_ones(client, signing_in, dana_app):
    old = devices.new_backup_codes(dana_app.user)
    signing_in.password("dana")
    signing_in.code(totp_code(dana_app))
    response = client.post(reverse("admin:staff_backup_codes"))
    assert response["Location"] == reverse("admin:staff_backup_codes")
    shown = BeautifulSoup(client.get(response["Location"]).content, "html.parser")
    new = [li.text.replace(" ", "") for li in shown.select("#backup-codes li")]
    assert len(new) == 10
    assert not set(new) & set(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)


# First sign-in: a setup key belongs to the sign-in it was shown to ------------------------------


def code_from(secret, steps_ahead=0):
    """What an app that was given `secret` shows now (or `steps_ahead` 30-second steps on)."""
    totp = TOTP(secret)
    totp.time = time.time() + steps_ahead * totp.step
    return f"{totp.token():06d}"


def setup_key(sign_in):
    return secret_on(sign_in.client.get(reverse("admin:staff_enrol")))


def test_a_setup_key_noted_by_someone_else_never_becomes_their_second_factor(
    client, signing_in, new_sign_in, dana
):
    """The attack: whoever knows the password of an account not yet set up opens the setup
    page, notes the key and leaves; the real user sets up their app later; the attacker comes
    back with the password and a code from the noted key."""
    attacker = new_sign_in()
    attacker.password("dana")
    noted = setup_key(attacker)

    user = signing_in
    user.password("dana")
    shown = setup_key(user)
    assert user.enrol(code_from(shown))["Location"] == reverse("admin:staff_backup_codes")
    assert client.get(ADMIN_INDEX).status_code == 200

    assert attacker.password("dana")["Location"] == reverse("admin:staff_verify")
    # The noted key's next code: its app would show it by the time the attacker is back (the
    # code the user just typed is spent for everyone).
    response = attacker.code(code_from(noted, steps_ahead=1))
    assert response.status_code == 200
    assert "That code did not work" in response.content.decode()
    assert is_refused(attacker.client.get(ADMIN_INDEX))
    assert [device.bin_key for device in TOTPDevice.objects.filter(user=dana)] == [shown]


def test_a_setup_key_cannot_be_confirmed_from_another_sign_in(
    client, signing_in, new_sign_in, dana
):
    shown_to_one = new_sign_in()
    shown_to_one.password("dana")
    key = setup_key(shown_to_one)

    other = signing_in
    other.password("dana")
    response = other.enrol(code_from(key))
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=dana, confirmed=True).exists()
    assert is_refused(client.get(ADMIN_INDEX))
    # And the other sign-in's setup voided the key: not even its own sign-in can confirm it.
    response = shown_to_one.enrol(code_from(key))
    assert "no longer works" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=dana, confirmed=True).exists()


def test_the_user_is_told_when_another_sign_in_replaced_their_setup_key(
    client, signing_in, new_sign_in, dana
):
    user = signing_in
    user.password("dana")
    first = setup_key(user)
    intruder = new_sign_in()
    intruder.password("dana")
    intruders = setup_key(intruder)

    response = user.enrol(code_from(first))
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert "someone else knows your password" in page.select_one("#key-replaced").text
    assert "key shown before, which no longer works" in page.select_one(".errorlist").text
    new = secret_on(response)
    assert new not in (first, intruders)

    assert user.enrol(code_from(new))["Location"] == reverse("admin:staff_backup_codes")
    assert intruder.password("dana")["Location"] == reverse("admin:staff_verify")
    assert is_refused(intruder.client.get(ADMIN_INDEX))
    assert [device.bin_key for device in TOTPDevice.objects.filter(user=dana)] == [new]


def test_reloading_the_setup_page_keeps_the_key_already_scanned(client, signing_in, dana):
    signing_in.password("dana")
    first = client.get(reverse("admin:staff_enrol"))
    again = client.get(reverse("admin:staff_enrol"))
    assert secret_on(again) == secret_on(first)
    assert not BeautifulSoup(again.content, "html.parser").select("#key-replaced")


def test_each_password_step_starts_setting_up_with_a_new_key(client, signing_in, dana):
    signing_in.password("dana")
    first = setup_key(signing_in)
    signing_in.password("dana")
    second = setup_key(signing_in)
    assert second != first
    assert TOTPDevice.objects.filter(user=dana).count() == 1


def test_the_qr_code_holds_only_the_key_of_the_sign_in_that_asked(
    client, signing_in, new_sign_in, dana
):
    user = signing_in
    user.password("dana")
    # Not opened the setup page yet: no key was made for this sign-in, and the image makes none.
    assert client.get(reverse("admin:staff_enrol_qr")).status_code == 404
    assert not TOTPDevice.objects.filter(user=dana).exists()
    setup_key(user)
    assert client.get(reverse("admin:staff_enrol_qr")).status_code == 200
    intruder = new_sign_in()
    intruder.password("dana")
    setup_key(intruder)
    assert client.get(reverse("admin:staff_enrol_qr")).status_code == 404


def test_an_unconfirmed_app_left_from_before_can_never_be_confirmed(client, signing_in, dana):
    """A key made before setup keys were bound to a sign-in, and maybe noted by someone."""
    left = TOTPDevice.objects.create(user=dana, name="Authenticator app", confirmed=False)
    signing_in.password("dana")
    response = signing_in.enrol(code_from(left.bin_key))
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(pk=left.pk).exists()
    assert not TOTPDevice.objects.filter(user=dana, confirmed=True).exists()
