"""The page a locked-out sign-in gets (django-axes' AXES_LOCKOUT_CALLABLE).

The same page, word for word, whether the account name exists or not, and whichever limit was
reached (the account's or the client's): it must not tell a guesser which names are real.
"""

from axes.helpers import get_cool_off
from django.contrib import admin
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from . import pending


def lockout_response(request, original_response=None, credentials=None):
    if hasattr(request, "session"):
        pending.clear(request)
    cool_off = get_cool_off(request)
    return render(
        request,
        "staff/locked_out.html",
        {
            **admin.site.each_context(request),
            "title": _("Sign-in paused"),
            "minutes": round(cool_off.total_seconds() / 60) if cool_off else None,
        },
        status=429,
    )
