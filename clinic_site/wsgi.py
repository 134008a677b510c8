"""
WSGI config for clinic_site project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/

Each server process (a gunicorn worker, the development server) warms up here, before its
first request: the URL patterns are imported and the admin's live preview loads its syllable
dictionaries (conditions/warmup.py), which took 2.4 s on the first preview an editor asked for.
"""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_site.settings")

application = get_wsgi_application()


def _warm_up():
    from conditions.warmup import warm_up

    get_resolver().url_patterns  # noqa: B018  (imports every view module now, not on a request)
    warm_up()


_warm_up()
