"""Short staff sessions: signed out after STAFF_SESSION_IDLE_MINUTES without a request, and
STAFF_SESSION_MAX_HOURS after signing in, whatever happens.

Only signed-in requests touch the session. Each one moves the session's expiry forward (in the
database row and in the cookie), the way SESSION_SAVE_EVERY_REQUEST would, but anonymous
readers never get a session, so they still get no cookie and the page cache still serves them.

A signed-in user without a verified second factor is signed out too: the only way in is through
both steps, so such a session is left over from before the second factor, or its device was
reset. Every page, not only the admin, can then trust that a signed-in user is verified.

And every answer from the admin's address tells search engines to keep out (AdminNoIndex).
"""

import functools
import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.urls import reverse
from django_otp.middleware import is_verified

SIGNED_IN_AT = "staff_signed_in_at"
LAST_SEEN_AT = "staff_last_seen_at"


@receiver(user_logged_in)
def note_sign_in_time(sender, request, user, **kwargs):
    """The absolute limit counts from here: stored in the session at sign-in."""
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


class StaffSessionMiddleware:
    """After AuthenticationMiddleware and django-otp's OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            seconds_left = self.seconds_left(request.session)
            if seconds_left <= 0 or not request.user.is_verified():
                self.sign_out(request)
            else:
                request.session[LAST_SEEN_AT] = time.time()
                request.session.set_expiry(max(1, int(seconds_left)))
        return self.get_response(request)

    @staticmethod
    def seconds_left(session):
        """Until the session ends if no other request comes (0 or less: it has ended)."""
        signed_in_at = session.get(SIGNED_IN_AT)
        if signed_in_at is None:
            return 0
        idle_limit = settings.STAFF_SESSION_IDLE_MINUTES * 60
        now = time.time()
        if now - session.get(LAST_SEEN_AT, signed_in_at) >= idle_limit:
            return 0
        return min(idle_limit, signed_in_at + settings.STAFF_SESSION_MAX_HOURS * 3600 - now)

    @staticmethod
    def sign_out(request):
        logout(request)
        # logout() puts a plain AnonymousUser on the request; give it what OTPMiddleware gives
        # every user, for the admin's permission check further on.
        request.user.otp_device = None
        request.user.is_verified = functools.partial(is_verified, request.user)


class AdminNoIndexMiddleware:
    """`X-Robots-Tag: noindex` on every answer under the admin's address: its pages, the sign-in
    steps, the QR code, redirects and errors. robots.txt names no address of the admin (that
    would publish DJANGO_ADMIN_URL), so the admin keeps search engines out itself."""

    HEADER = "noindex, nofollow, noarchive"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(reverse("admin:index")):
            response.headers.setdefault("X-Robots-Tag", self.HEADER)
        return response
