"""The server error pages: 500 for a fault, 503 while the database cannot be reached.

Both render with no database and no context processors (the failure may be in either), with
the clinic's details as the brief gives them, so the phone number is always there.

The 503 covers the whole request, middleware included: Django hands any exception it did not
expect, wherever it was raised, to ``handler500`` while the exception is still being handled,
so ``server_error`` reads it from ``sys.exc_info()`` and answers a lost database with a 503
and ``Retry-After`` (a proxy or a patient may try again soon) instead of a 500. The site
reconnects by itself once the database is back (``CONN_HEALTH_CHECKS`` in settings). A reader
asking for a public page some worker has stored gets that copy instead (the page cache).
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

from clinic_site.core.clinic.models import ClinicDetails

# Seconds the 503 asks clients to wait before trying again.
RETRY_AFTER_SECONDS = 30

# What a lost, refused or cut database connection raises (Django wraps the driver's errors).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def _database_unavailable(exc):
    """True when `exc`, or an exception it was raised from, is a lost database."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, DATABASE_UNAVAILABLE):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def service_unavailable(request):
    """The 503 page: the site cannot reach its database; call us or try again shortly."""
    template = loader.get_template("503.html")
    response = HttpResponse(
        template.render({"clinic": ClinicDetails.from_brief()}),
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # The page cache answers an anonymous reader with a stored copy of the page instead, when
    # it has one (clinic_site/core/pagecache/middleware.py).
    response.database_down = True
    return response


def server_error(request):
    """``handler500``: a 503 when the database is out of reach, else the 500 page."""
    if _database_unavailable(sys.exc_info()[1]):
        return service_unavailable(request)
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"clinic": ClinicDetails.from_brief()}))
