"""A new staff member signs in for the first time in Chromium: password, setting up an
authenticator app from the QR page (the code computed here from the key on the page), backup
codes; then signs out and in again with the next code. The Content-Security-Policy is enforced
throughout, and axe-core checks every sign-in page (WCAG 2.2 A/AA)."""

import base64
import re
import time

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.viewports import PHONE
from tests.factories import AuthenticatorFactory, totp_code, wrong_code

PASSWORD = "plum-orchard-lantern-47"


@pytest.fixture
def dana(site):
    user = User.objects.create_user("dana", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def code_from_key(key_text, steps_ahead=0):
    """What an authenticator app shows for the key as the page prints it."""
    totp = TOTP(base64.b32decode(re.sub(r"\s", "", key_text)))
    totp.time = time.time() + steps_ahead * 30
    return f"{totp.token():06d}"


def enter_password(page, username="dana", password=PASSWORD):
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()


def test_first_sign_in_sets_up_the_app_and_the_next_uses_it(csp_context, csp, dana):
    page = csp_context.new_page()
    errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and errors.append(f"console: {message.text}"),
    )
    page.on("pageerror", lambda error: errors.append(f"script: {error}"))

    def assert_csp_held():
        violations = csp.violations(page)
        assert violations == [], f"{page.url}: {violations}"

    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/admin/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff sign-in")
    assert_csp_held()
    enter_password(page)

    # Setting up: a QR code drawn by the site, and the same key as text.
    expect(page).to_have_url(re.compile(r"/admin/login/enrol/$"))
    qr = page.get_by_role("img", name=re.compile("QR code"))
    expect(qr).to_be_visible()
    # Drawn: the image has loaded and has a size (waited for: it may still be on its way).
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    key = page.locator("#setup-key").inner_text()
    assert_csp_held()
    page.get_by_label("Code").fill(code_from_key(key))
    page.get_by_role("button", name="Finish setting up").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your backup codes")
    expect(page.locator("#backup-codes li")).to_have_count(10)
    assert_csp_held()
    page.get_by_role("link", name=re.compile("continue")).click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert TOTPDevice.objects.get(user=dana).confirmed

    page.get_by_role("button", name="Log out").click()
    page.goto("/admin/")
    enter_password(page)
    expect(page).to_have_url(re.compile(r"/admin/login/code/$"))
    assert_csp_held()
    # The code used to set up is spent; the app's next one works. Computed from the device as
    # saved: a setup code typed across a 30-second boundary makes django-otp record the
    # phone's clock drift, and the next code is checked against the drifted clock.
    device = TOTPDevice.objects.get(user=dana)
    page.get_by_label("Code").fill(totp_code(device, steps_ahead=1))
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    assert_csp_held()
    assert errors == [], "\n".join(errors)


def test_a_setup_key_noted_by_another_browser_never_signs_in(new_context, dana):
    """The attack on a first sign-in: someone who knows the password opens the setup page in
    their browser, notes the key and leaves; the real user sets up their app in theirs; the
    attacker comes back with the password and a code from the noted key."""
    attacker = new_context(bypass_csp=False).new_page()
    attacker.goto("/admin/login/")
    enter_password(attacker)
    expect(attacker).to_have_url(re.compile(r"/admin/login/enrol/$"))
    noted = attacker.locator("#setup-key").inner_text()

    user = new_context(bypass_csp=False).new_page()
    user.goto("/admin/login/")
    enter_password(user)
    expect(user).to_have_url(re.compile(r"/admin/login/enrol/$"))
    shown = user.locator("#setup-key").inner_text()
    user.get_by_label("Code").fill(code_from_key(shown))
    user.get_by_role("button", name="Finish setting up").click()
    expect(user.get_by_role("heading", level=1)).to_have_text("Your backup codes")
    user.get_by_role("link", name=re.compile("continue")).click()
    expect(user).to_have_url(re.compile(r"/admin/$"))

    attacker.goto("/admin/login/")
    enter_password(attacker)
    expect(attacker).to_have_url(re.compile(r"/admin/login/code/$"))
    # The noted key's next code: its app would show it by the time the attacker is back (the
    # code the user just typed is spent for everyone).
    attacker.get_by_label("Code").fill(code_from_key(noted, steps_ahead=1))
    attacker.get_by_role("button", name="Sign in").click()
    expect(attacker.get_by_label("Code")).to_have_accessible_description(
        re.compile("That code did not work")
    )
    attacker.goto("/admin/")
    expect(attacker).to_have_url(re.compile(r"/admin/login/\?next=/admin/$"))
    assert TOTPDevice.objects.get(user=dana, confirmed=True).bin_key == base64.b32decode(
        re.sub(r"\s", "", shown)
    )


def test_a_wrong_code_is_explained_and_the_right_one_then_works(page, dana, axe, wait_until):
    app = AuthenticatorFactory(user=dana)
    page.goto("/admin/login/")
    enter_password(page)
    page.get_by_label("Code").fill(wrong_code(app))
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title(re.compile("^Error:"))
    code = page.get_by_label("Code")
    expect(code).to_have_attribute("aria-invalid", "true")
    expect(code).to_have_accessible_description(re.compile("That code did not work"))
    axe.check(page)
    # django-otp refuses every code for a second after a wrong one (as a person would take
    # longer to retype); a fast test machine must wait as long as the device says.
    wait_until(
        lambda: TOTPDevice.objects.get(pk=app.pk).verify_is_allowed()[0],
        timeout=10,
        what="the delay after a wrong code to end",
    )
    code.fill(totp_code(app))
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def reach(page, step, dana):
    """Opens the sign-in page `step` as a staff member would come to it."""
    app = AuthenticatorFactory(user=dana) if step in ("code", "code-error") else None
    if step == "lockout":
        for _ in range(5):
            page.goto("/admin/login/")
            enter_password(page, password="not-the-password-1")
        return
    page.goto("/admin/login/")
    if step == "password-error":
        enter_password(page, password="not-the-password-1")
        return
    if step == "password":
        return
    enter_password(page)
    if step == "code-error":
        page.get_by_label("Code").fill(wrong_code(app))
        page.get_by_role("button", name="Sign in").click()
    if step == "enrol-key-replaced":
        # Another sign-in to the account opens the setup page, which voids this page's key.
        # This page first: reloading while it is still arriving finds no page to reload.
        expect(page.locator("#setup-key")).to_be_visible()
        page.wait_for_load_state("load")
        other = Client()
        other.post("/admin/login/", {"username": dana.get_username(), "password": PASSWORD})
        other.get("/admin/login/enrol/")
        page.reload()
        expect(page.locator("#key-replaced")).to_be_visible()
    if step == "backup-codes":
        key = page.locator("#setup-key").inner_text()
        page.get_by_label("Code").fill(code_from_key(key))
        page.get_by_role("button", name="Finish setting up").click()


@pytest.mark.parametrize(
    "step",
    [
        "password",
        "password-error",
        "enrol",
        "enrol-key-replaced",
        "code",
        "code-error",
        "backup-codes",
        "lockout",
    ],
)
def test_every_sign_in_page_passes_axe_on_a_phone_and_a_desktop(new_context, dana, axe, step):
    page = new_context(viewport=PHONE).new_page()
    reach(page, step, dana)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe.check_widths(page)
