"""A staff member's second factor: an authenticator app (TOTP) and one-time backup codes.

Both are django-otp devices. The app's codes are six digits, backup codes are eight letters and
digits, so the shape of what was typed says which device to check: trying every device in turn
would count a failure against each one that did not match.
"""

import base64
import io
import math
import re

import segno
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user, verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

AUTHENTICATOR_NAME = "Authenticator app"
BACKUP_CODES_NAME = "Backup codes"
BACKUP_CODE_COUNT = 10


def normalise(code):
    """What a person types, the way devices store it: no spaces or dashes, lower case."""
    return re.sub(r"[\s-]+", "", code or "").lower()


def has_second_factor(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def start_enrolment(user):
    """A new authenticator for `user` to set up, with a secret no other sign-in has seen.

    Any unconfirmed one is deleted first: its secret was shown to another sign-in (maybe not
    the user's own: whoever else knows the password), and must never become a working factor.
    The caller binds the new one to its session (pending.note_enrolment_device).
    """
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def enrolment_device(user, device_id):
    """The authenticator `device_id` that a sign-in is setting up, while it is still `user`'s and
    unconfirmed; None once another sign-in's setup replaced it (or there was none)."""
    if device_id is None:
        return None
    return TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()


def verify(user, code):
    """The user's device that accepts `code` (and uses it up), or None.

    django-otp refuses a TOTP code at or before the last one accepted (no replay), deletes a
    backup code once used, and only ever looks at this user's own devices.
    """
    code = normalise(code)
    device = device_for(user, code)
    if device is None or not code:
        return None
    return verify_token(user, device.persistent_id, code)


def device_for(user, code):
    """The user's device a code of this shape belongs to: digits for the app, else backup codes."""
    model = TOTPDevice if normalise(code).isdigit() else StaticDevice
    return model.objects.filter(user=user, confirmed=True).first()


def seconds_to_wait(user, code):
    """Whole seconds before the device `code` belongs to checks a code again, or 0.

    After wrong codes in a row django-otp makes each device wait 1, 2, 4, 8 ... seconds and
    refuses any code meanwhile, the right one too; the sign-in says so rather than "wrong code".
    """
    device = device_for(user, code)
    if device is None:
        return 0
    allowed, details = device.verify_is_allowed()
    if allowed:
        return 0
    return max(1, math.ceil((details["locked_until"] - timezone.now()).total_seconds()))


def confirm(device, code):
    """Confirms an enrolment device when `code` comes from it; returns new backup codes, or
    None when the code is wrong (or the user has meanwhile confirmed another app)."""
    with transaction.atomic():
        # Setups of one user are confirmed one at a time: the second finds the first's app.
        get_user_model()._default_manager.select_for_update().get(pk=device.user_id)
        if has_second_factor(device.user):
            return None
        if verify_token(device.user, device.persistent_id, normalise(code)) is None:
            return None
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        return new_backup_codes(device.user)


def new_backup_codes(user):
    """Replaces the user's backup codes with new ones and returns them (shown once)."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=BACKUP_CODES_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def backup_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def reset(user):
    """Removes every second-factor device of `user`: they enrol again at their next sign-in,
    and any session they have ends (it was verified by a device that no longer exists)."""
    removed = 0
    with transaction.atomic():
        for device in list(devices_for_user(user, confirmed=None)):
            device.delete()
            removed += 1
    return removed


def secret_text(device):
    """The device's secret as people type it into an app: base32 in groups of four."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device):
    """The setup QR code as SVG, drawn here (no image service sees the secret). White modules
    are drawn too, so it scans on the admin's dark theme."""
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        buffer, kind="svg", scale=5, border=4, dark="#000", light="#fff", xmldecl=False
    )
    return buffer.getvalue()
