"""The benchmark's steps that need Django: `python bench/django_tasks.py COMMAND ARGS...`.

    setup SLUG              migrate; add stand-in content if SLUG is missing
    collectstatic
    render PATH OUTFILE     the page as an anonymous visitor gets it
    edit SLUG TEXT          a staff edit: append TEXT to the overview
    unedit SLUG TEXT        take TEXT out again
    count-inquiries PREFIX  JSON {marker: rows} of the stored inquiries
    inprocess PATH [N]      time and queries of one request inside Django (no HTTP)

Each prints one line of JSON on stdout. DATABASE_URL, REDIS_URL and DJANGO_SETTINGS_MODULE
come from the environment, so each step sees exactly the database the server under test uses.
"""

import json
import os
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.bench_settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402


def out(**data):
    print(json.dumps(data, default=str))


# Stand-in content, used only in the benchmark's own temporary database and only while the seed
# migration has not created the condition yet. It is about as long as the real article is
# planned to be (every section filled, four treatments, a guide, a related condition), so the
# page weighs about what the real one will.
CONDITION_SECTIONS = {
    "overview": (
        "Cluneal nerve entrapment is a cause of low back and upper buttock pain. It happens when "
        "one of the small cluneal nerves is squeezed or irritated where it passes through tight "
        "tissue near the back of the pelvis.\n\n"
        "It is a bit like carpal tunnel syndrome, where a nerve is squeezed at the wrist. It is "
        "often missed, so many people try several treatments that do not help before it is "
        "found. Studies have found it in about 2 to 14 of every 100 people with low back pain."
    ),
    "anatomy": (
        "The cluneal nerves carry feeling from the skin of your buttocks. There are three "
        "groups:\n\n"
        "- **Upper (superior) cluneal nerves** come from the lower back. They cross the top "
        "ridge of the hip bone (the iliac crest), about 7 to 8 cm from the middle of your back. "
        "There they pass through a tight tunnel between a tough sheet of tissue and the bone. "
        "This is where they are most often trapped.\n"
        "- **Middle cluneal nerves** come from the base of the spine (the sacrum). They pass "
        "under a ligament near the joint between the spine and the pelvis.\n"
        "- **Lower (inferior) cluneal nerves** branch from a nerve in the back of the thigh and "
        "curve around the lower edge of the buttock muscle.\n\n"
        "These nerves carry feeling, not movement. When they are trapped, you may feel pain, "
        "tingling or numbness, but your muscles do not get weak."
    ),
    "symptoms": (
        "- Pain in the low back and upper buttock, on one side or both\n"
        "- Pain that spreads down the back of the leg, sometimes below the knee. This can be "
        "mistaken for sciatica.\n"
        "- Pain that gets worse when you bend, twist, lean back, walk or stand for a long time\n"
        "- Pain that eases when you rest\n"
        "- Pain when you sit for a long time\n"
        "- A tender spot on the back of the hip bone\n"
        "- Tingling when that spot is tapped"
    ),
    "causes": (
        "The nerve is squeezed where it passes through tight tissue or under a ligament. This "
        "can follow a fall, heavy lifting, a long time spent bending, changes to the spine that "
        "come with age, or surgery near the hip bone. Often there is no clear cause."
    ),
    "diagnosis": (
        "There is no single test. Your doctor puts the answer together from several steps:\n\n"
        "1. **Your story.** Where the pain is, what makes it worse and what eases it.\n"
        "2. **An exam.** Your doctor presses along the top of your hip bone. If this brings on "
        "your usual pain, the nerve may be trapped there.\n"
        "3. **A test injection.** A small amount of numbing medicine is placed at that spot. If "
        "your pain goes away for a while, this supports the diagnosis.\n"
        "4. **Imaging.** Ultrasound can show the nerve and guide the needle. X-ray, MRI and CT "
        "scans do not show this condition, but they can rule out other causes of back and leg "
        "pain."
    ),
    "treatment_options": (
        "Most people start with the simplest care and move on only if it does not help.\n\n"
        "- **Care without needles:** pain medicines that are not opioids, physical therapy, "
        "chiropractic care and acupuncture.\n"
        "- **Nerve injections:** numbing medicine, sometimes with a steroid, placed over the hip "
        "bone. Ultrasound or live X-ray shows where the needle is.\n"
        "- **Cryoablation:** a thin probe freezes the nerve so it stops sending pain signals. "
        "This is a newer option with little research yet.\n"
        "- **Peripheral nerve stimulation:** a small device sends mild electrical pulses to the "
        "nerve to ease pain.\n\n"
        "Most research on these treatments comes from small studies. We will talk through what "
        "is known, and what is not, before you decide."
    ),
    "when_to_get_help": (
        "Call 911 or go to the emergency department if you have back pain with numbness around "
        "your genitals or buttocks, weakness in both legs, or loss of control of your bladder or "
        "bowels.\n\n"
        "Call the clinic if your pain is getting worse or is not getting better."
    ),
}

TREATMENTS = [
    (
        "Conservative care",
        "conservative-care",
        "Medicines, physical therapy, chiropractic care and acupuncture: care without needles.",
    ),
    (
        "Image-guided nerve injections",
        "nerve-injections",
        "Numbing medicine placed at a painful nerve, with ultrasound or live X-ray to guide it.",
    ),
    (
        "Cryoablation",
        "cryoablation",
        "A thin, cold probe freezes a painful nerve so it stops sending pain signals.",
    ),
    (
        "Peripheral nerve stimulation",
        "peripheral-nerve-stimulation",
        "A small device sends mild electrical pulses to a nerve to ease pain.",
    ),
]

TREATMENT_TEXT = (
    "This is stand-in text written for the benchmark. It is about as long as a real section, "
    "so the page weighs what the real page will. Your doctor explains each step before it "
    "starts, and you can ask questions at any time."
)


def seed_stand_in(slug):
    from clinic_site.clinic.models import ClinicDetails
    from conditions.models import Condition, Guide, Treatment

    if not ClinicDetails.objects.exists():
        ClinicDetails.from_brief().save()
    published = {"status": "published", "publish_at": timezone.now() - timezone.timedelta(days=1)}
    treatments = []
    for title, tslug, summary in TREATMENTS:
        treatment, _created = Treatment.objects.get_or_create(
            slug=tslug,
            defaults={
                "title": title,
                "summary": summary,
                "what_it_is": TREATMENT_TEXT,
                "on_the_day": TREATMENT_TEXT,
                "afterwards": TREATMENT_TEXT,
                **published,
            },
        )
        treatments.append(treatment)
    condition = Condition(
        title="Cluneal nerve entrapment",
        slug=slug,
        summary=(
            "Cluneal nerve entrapment is a trapped nerve at the back of the hip bone that causes "
            "low back and upper buttock pain. Learn how it is found and treated."
        ),
        anatomy_label="Cluneal nerves",
        symptom_labels="Low back pain\nButtock pain\nLeg pain",
        test_labels="Physical exam\nDiagnostic nerve block\nUltrasound",
        reviewed_by="",
        **CONDITION_SECTIONS,
        **published,
    )
    condition.save()
    condition.treatments.set(treatments)
    related, _created = Condition.objects.get_or_create(
        slug="sacroiliac-joint-pain",
        defaults={
            "title": "Sacroiliac joint pain",
            "overview": TREATMENT_TEXT,
            "summary": "Pain from the joint between the spine and the pelvis.",
            **published,
        },
    )
    condition.related_conditions.add(related)
    guide, _created = Guide.objects.get_or_create(
        slug="treating-back-and-neck-pain-without-surgery",
        defaults={
            "title": "Treating back and neck pain without surgery",
            "summary": "Most back and neck pain gets better without surgery.",
            "overview": TREATMENT_TEXT,
            **published,
        },
    )
    guide.related_conditions.add(condition)


def setup(slug):
    call_command("migrate", interactive=False, verbosity=0)
    from conditions.models import Condition

    seeded_by_migration = Condition.objects.filter(slug=slug).exists()
    if not seeded_by_migration:
        with transaction.atomic():
            seed_stand_in(slug)
    out(content="seed migration" if seeded_by_migration else "benchmark stand-in")


def collectstatic():
    call_command("collectstatic", interactive=False, verbosity=0)
    out(static_root=str(settings.STATIC_ROOT))


def render(path, outfile):
    host = settings.ALLOWED_HOSTS[0]
    client = Client(HTTP_HOST=host, headers={"X-Forwarded-Proto": "https"})
    response = client.get(path, secure=True)
    Path(outfile).write_bytes(response.content)
    out(status=response.status_code, bytes=len(response.content))


def edit(slug, text, remove=False):
    from conditions.models import Condition

    condition = Condition.objects.get(slug=slug)
    if remove:
        condition.overview = condition.overview.replace(f"\n\n{text}", "")
    else:
        condition.overview = f"{condition.overview}\n\n{text}"
    condition.save()  # what the admin does: re-renders the HTML, bumps updated_at
    out(saved=True)


def count_inquiries(prefix):
    from django.apps import apps

    inquiry = apps.get_model("contact", "Inquiry")
    pattern = re.compile(re.escape(prefix) + r"[0-9a-z-]+")
    counts = {}
    total = 0
    for message in inquiry.objects.filter(message__contains=prefix).values_list(
        "message", flat=True
    ):
        total += 1
        for marker in set(pattern.findall(message)):
            counts[marker] = counts.get(marker, 0) + 1
    out(rows=total, all_rows=inquiry.objects.count(), markers=counts)


def inprocess(page_path, repeats="40"):
    """What one request costs inside Django, without HTTP or gunicorn: median time and number of
    queries, through the test client (CSRF checks off). Deterministic where wall-clock load
    figures are noisy: the query counts do not depend on the machine at all."""
    import statistics
    import time

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sys.path.insert(0, str(REPO / "bench"))
    import contactbench

    repeats = int(repeats)
    host = settings.ALLOWED_HOSTS[0]

    def measure(label, call, warm=2):
        for _ in range(warm):
            call()
        times, queries, status = [], 0, None
        for _ in range(repeats):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                status = call()
                times.append((time.perf_counter() - started) * 1000)
            queries = len(ctx.captured_queries)
        return {
            "what": label,
            "ms": statistics.median(times),
            "best_ms": min(times),
            "queries": queries,
            "status": status,
        }

    client = Client(HTTP_HOST=host)
    rows = [
        measure(
            "robots.txt (middleware only)",
            lambda: client.get("/robots.txt", secure=True).status_code,
        ),
        measure(f"{page_path} (cache hit)", lambda: client.get(page_path, secure=True).status_code),
    ]
    try:
        from conditions.caching import content_fingerprint
    except ImportError:
        content_fingerprint = None
    if content_fingerprint:
        rows.append(
            measure("  of which content_fingerprint()", lambda: content_fingerprint() and None)
        )

    def uncached_page():
        from conditions.caching import pages  # rendered pages live in worker memory
        from django.core.cache import cache

        cache.clear()
        pages.clear()
        return client.get(page_path, secure=True).status_code

    rows.append(measure(f"{page_path} (cache miss)", uncached_page))
    rows.append(measure("GET /contact/", lambda: client.get("/contact/", secure=True).status_code))
    number = iter(range(10**6))

    def post_contact():
        visitor = Client(HTTP_HOST=host)
        form = contactbench.find_form(visitor.get("/contact/", secure=True).content.decode())
        n = next(number)
        data = contactbench.fill(form, f"benchmark-inprocess-{n}", f"i{n}")
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            status = visitor.post(
                "/contact/", data, secure=True, headers={"Referer": f"https://{host}/contact/"}
            ).status_code
        post_times.append(((time.perf_counter() - started) * 1000, len(ctx.captured_queries)))
        return status

    post_times = []
    for _ in range(repeats + 2):
        status = post_contact()
    post_times = post_times[2:]
    rows.append(
        {
            "what": "POST /contact/ (valid)",
            "ms": statistics.median(t for t, _q in post_times),
            "best_ms": min(t for t, _q in post_times),
            "queries": post_times[-1][1],
            "status": status,
        }
    )
    out(rows=rows)


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "setup":
        setup(*args)
    elif command == "collectstatic":
        collectstatic()
    elif command == "render":
        render(*args)
    elif command == "edit":
        edit(*args)
    elif command == "unedit":
        edit(*args, remove=True)
    elif command == "inprocess":
        inprocess(*args)
    elif command == "count-inquiries":
        count_inquiries(*args)
    else:
        sys.exit(f"unknown command {command}")
