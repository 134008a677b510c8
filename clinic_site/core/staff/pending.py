"""The sign-in in progress: who gave the right password and may now give a second factor.

Nobody is signed in until the second step succeeds. Between the two steps the session holds only
this note, so the visitor is still anonymous to the admin and to every other page (draft
previews included): no URL treats them as staff. The note lasts a few minutes and carries the
user's session hash, so a password change in between voids it.

At a first sign-in the note also names the authenticator this sign-in is setting up: its secret
was shown to this session only, and only this session may confirm it (views.EnrolView).
"""

import time

from django.contrib import auth
from django.utils.crypto import constant_time_compare

SESSION_KEY = "staff_sign_in"
# Long enough to install an authenticator app at first sign-in; short enough that a password
# typed on a shared computer and walked away from does not stay half-used for long.
MAX_AGE_SECONDS = 10 * 60


def start(request, user, next_url):
    """Notes that `user` (as authenticate() returned them) passed the password step."""
    if request.user.is_authenticated:
        auth.logout(request)  # someone else's session: never carried into this sign-in
    # A new session key: a key planted before the password step is worth nothing after it.
    request.session.cycle_key()
    request.session[SESSION_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "hash": user.get_session_auth_hash(),
        "at": time.time(),
        "next": next_url,
    }


def user(request):
    """The user between the two steps, or None (no note, or it is stale or void)."""
    note = request.session.get(SESSION_KEY)
    if not note:
        return None
    found = (
        auth.get_user_model()
        ._default_manager.filter(pk=note["user"], is_active=True, is_staff=True)
        .first()
    )
    if (
        found is None
        or time.time() - note["at"] > MAX_AGE_SECONDS
        or not constant_time_compare(note["hash"], found.get_session_auth_hash())
    ):
        clear(request)
        return None
    found.backend = note["backend"]
    return found


def finish(request, user, device):
    """Signs `user` in, verified by `device`; returns where they asked to go ("" for none)."""
    note = request.session.pop(SESSION_KEY)
    # django-otp's user_logged_in receiver stores the device in the session.
    user.otp_device = device
    auth.login(request, user, backend=note["backend"])
    return note["next"]


def enrolment_device_id(request):
    """The id of the authenticator this sign-in is setting up, or None."""
    return (request.session.get(SESSION_KEY) or {}).get("enrolment")


def note_enrolment_device(request, device):
    request.session[SESSION_KEY]["enrolment"] = device.pk
    request.session.modified = True


def clear(request):
    request.session.pop(SESSION_KEY, None)
