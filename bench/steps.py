"""The benchmark's steps inside Django: `python bench/steps.py STEP ARGS...`, one JSON line out.

Each step reads DATABASE_URL and the rest from the environment, so it sees exactly the database
the gunicorn under test uses.
"""

import importlib
import json
import os
import select
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_site.settings")

import django
import psycopg

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command, get_commands  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from clinic_site.core.pagecache.listener import CHANNEL, listener, listening  # noqa: E402
from clinic_site.sitewide.search import vocabulary  # noqa: E402
from conditions.models import Condition  # noqa: E402
from contact.models import Inquiry  # noqa: E402

GENERATED = "generated-"


def visitor():
    return Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])


def setup(path="", copy_name=""):
    """Migrate and load the library (published); with a copy name, also collect static files
    and save the page's exact bytes among them, so whitenoise serves a static file as large as
    the page."""
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_content", publish=True, verbosity=0)
    result = {"worker": "db_worker" in get_commands()}
    if copy_name:
        call_command("collectstatic", interactive=False, verbosity=0)
        page = visitor().get(path, secure=True)
        Path(settings.STATIC_ROOT, copy_name).write_bytes(page.content)
        result.update(status=page.status_code, bytes=len(page.content))
    return result


def edit(slug, text, undo=""):
    """A staff edit, saved the way the admin saves it (HTML re-rendered, updated_at bumped)."""
    condition = Condition.objects.get(slug=slug)
    if undo:
        condition.overview = condition.overview.replace(f"\n\n{text}", "")
    else:
        condition.overview = f"{condition.overview}\n\n{text}"
    condition.save()
    return {"saved": slug}


def grow(slug, count, validate, calls):
    """Add published conditions (copies of the seeded one) until `count` are generated, or remove
    the newest (a part that runs after one that grew further), then time the page cache's
    validation function alone and count the queries of one page hit."""
    seed = Condition.objects.get(slug=slug)
    generated = Condition.objects.filter(slug__startswith=GENERATED)
    extra = generated.order_by("-pk").values_list("pk", flat=True)[
        : max(0, generated.count() - int(count))
    ]
    generated.filter(pk__in=list(extra)).delete()
    have = generated.count()
    skip = {"id", "slug", "title", "created_at", "updated_at"}
    fields = {
        f.attname: getattr(seed, f.attname)
        for f in Condition._meta.concrete_fields
        if f.name not in skip
    }
    Condition.objects.bulk_create(
        [
            Condition(**fields, slug=f"{GENERATED}{n}", title=f"{seed.title} {n}")
            for n in range(have, int(count))
        ],
        batch_size=200,
    )
    # bulk_create sends no signal: what the task worker does after a change, done here.
    started = time.perf_counter()
    vocabulary.refresh()
    refresh_ms = (time.perf_counter() - started) * 1000
    module, name = validate.split(":")
    check = getattr(importlib.import_module(module), name)
    check()  # on PostgreSQL, starts this process's listener, as a worker's first request does
    deadline = time.monotonic() + 10
    while listening() and not listener.live and time.monotonic() < deadline:
        time.sleep(0.01)
    for _ in range(10):
        check()
    times = []
    while len(times) < int(calls) and sum(times) < 3e6:  # at most about 3 s
        started = time.perf_counter_ns()
        check()
        times.append((time.perf_counter_ns() - started) / 1000)
    with CaptureQueriesContext(connection) as validation:
        check()
    client = visitor()
    client.get(seed.get_absolute_url(), secure=True)  # renders and stores the page
    with CaptureQueriesContext(connection) as hit:
        status = client.get(seed.get_absolute_url(), secure=True).status_code
    return {
        "refresh_ms": refresh_ms,
        "published": Condition.objects.published().count(),
        "validate_us": statistics.median(times),
        "validate_queries": len(validation.captured_queries),
        "hit_status": status,
        "hit_queries": len(hit.captured_queries),
    }


def notify_latency(samples=500):
    """How long after COMMIT returns to the writer a listener has the new version on its
    socket: a no-op write to a public table (the triggers give a new version and notify)."""
    params = connection.get_connection_params()
    params = {k: v for k, v in params.items() if k not in ("cursor_factory", "context")}
    times, not_yet = [], 0
    with (
        psycopg.connect(**params, autocommit=True) as heard,
        psycopg.connect(**params, autocommit=True) as writer,
    ):
        heard.execute(f"LISTEN {CHANNEL}")
        socket = heard.pgconn.socket
        for _ in range(int(samples)):
            writer.execute("UPDATE clinic_clinicdetails SET fax = fax")
            started = time.perf_counter()
            if not select.select([socket], [], [], 0)[0]:
                not_yet += 1
                select.select([socket], [], [], 5)
            times.append((time.perf_counter() - started) * 1e6)
            heard.pgconn.consume_input()
            while heard.pgconn.notifies() is not None:
                pass
    times.sort()
    return {
        "samples": len(times),
        "not_yet": not_yet,
        "p50_us": statistics.median(times),
        "p99_us": times[int(len(times) * 0.99) - 1],
        "max_us": times[-1],
    }


def analyze():
    """Refresh the planner's statistics after a bulk load, as autovacuum does in production
    (PostgreSQL otherwise guesses that a filter matching every row matches one)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"analyzed": True}


def count(prefix):
    """How many stored inquiries carry each of this run's markers (the patient's name)."""
    rows = Inquiry.objects.filter(name__startswith=prefix).order_by().values_list("name")
    return {"markers": dict(rows.annotate(n=Count("pk")))}


if __name__ == "__main__":
    steps = {"setup": setup, "edit": edit, "grow": grow, "analyze": analyze, "count": count,
             "notify_latency": notify_latency}  # fmt: skip
    step = steps[sys.argv[1]]
    print(json.dumps(step(*sys.argv[2:])))
