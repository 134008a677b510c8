"""Where a post of the contact form came from: refused when another site sent it, without a
cookie.

Django's CSRF protection rests on a cookie (`csrftoken`, kept a year). The contact form is the
one form readers send, and that cookie would then go with every article they read afterwards:
a steady identifier on a site that promises none. So the contact view is exempt from
CsrfViewMiddleware (the admin keeps it, and its cookie) and checks, in this order:

1. **Sec-Fetch-Site**, which every current browser sends with every request and a page cannot
   set: "same-origin" (our own page) and "none" (the patient's own action, such as a bookmark)
   pass; "cross-site" and "same-site" (another site, or another host of our domain) are
   refused.
2. **Origin**, which browsers send with every cross-origin POST (current ones with every POST):
   when present it must be this site's own origin, as the browser saw it, or one of
   `CSRF_TRUSTED_ORIGINS`; "null" (a sandboxed frame, a redirect across sites) is refused.
3. **Neither header** (an old browser, or a program): the post is not refused here. The form's
   signed token (forms.py), which every post must carry, then vouches for it: a page on another
   site can get a token only by fetching our form from its own server, and the token names the
   address it was served to. Posted from another address with neither header, the form is not
   taken: it comes back, with what was typed and a fresh token, to be sent again.

These are the checks Django's middleware makes of Origin, without the cookie; and the cookie
adds nothing a forger could use here, since the form carries no one's session.
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.http import is_same_domain

logger = logging.getLogger(__name__)

ALLOWED_FETCH_SITES = {"same-origin", "none"}


def own_origin(request):
    return f"{'https' if request.is_secure() else 'http'}://{request.get_host()}"


def trusted(origin, request):
    """The site's own origin, or one of CSRF_TRUSTED_ORIGINS (exact, or a *.domain pattern)."""
    if origin == own_origin(request) or origin in settings.CSRF_TRUSTED_ORIGINS:
        return True
    parts = urlsplit(origin)
    try:
        host = parts.hostname or ""
        port = parts.port
    except ValueError:  # a malformed port
        return False
    netloc = f"{host}:{port}" if port else host
    return any(
        "*" in pattern
        and urlsplit(pattern).scheme == parts.scheme
        and is_same_domain(netloc, urlsplit(pattern).netloc.replace("*", ""))
        for pattern in settings.CSRF_TRUSTED_ORIGINS
    )


def judge(request):
    """(why the post is refused, or "" if it is not; whether a browser header vouches that it
    came from one of our pages)."""
    fetch_site = request.headers.get("Sec-Fetch-Site", "").strip().lower()
    origin = request.headers.get("Origin", "").strip()
    if fetch_site and fetch_site not in ALLOWED_FETCH_SITES:
        return f"Sec-Fetch-Site: {fetch_site[:20]}", False
    if origin and not trusted(origin, request):
        return "Origin: another site" if origin != "null" else "Origin: null", False
    return "", bool(fetch_site or origin)
