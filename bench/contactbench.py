"""Part B: many patients sending the contact form at once.

Each submission is one visitor with a fresh cookie jar: GET /contact/, read the CSRF token, the
signed form token and the honeypot from the HTML, POST a valid inquiry carrying a unique marker,
follow the redirect to the thank-you page. The database is checked afterwards: every accepted
marker must be stored exactly once. How a script posts the form is documented in
contact/forms.py.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from load import percentile
from webclient import FormParser, Site, path_of

FORM_PATH = "/contact/"
# Set on Ctrl-C or SIGTERM: the clients finish the submission in hand and stop.
STOP = threading.Event()
HONEYPOT = "website"


class FormShapeError(RuntimeError):
    pass


def find_form(html):
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        names = {f.get("name") for f in form["fields"]}
        if "csrfmiddlewaretoken" in names and (form["attrs"].get("method", "").lower() == "post"):
            return form
    raise FormShapeError("no POST form with a CSRF token on /contact/")


def fill(form, marker, number):
    """A valid inquiry for the form as served, whatever order its fields come in."""
    data = {}
    radios = {}
    for field in form["fields"]:
        name = field.get("name")
        if not name:
            continue
        tag, kind = field["tag"], (field.get("type") or "text").lower()
        if tag == "input" and kind == "hidden":
            data[name] = field.get("value", "")
        elif tag == "input" and kind == "radio":
            radios.setdefault(name, []).append(field.get("value", ""))
        elif tag == "input" and kind == "checkbox":
            data[name] = field.get("value") or "on"
        elif tag == "select":
            values = [o["value"] for o in field["options"] if o["value"]]
            if values:
                data[name] = values[0]
        elif tag == "input" and kind in ("submit", "button", "image", "reset"):
            continue
        elif name == HONEYPOT:
            data[name] = ""  # present and empty, as a person's browser sends it
        elif name == "name" or name.endswith("name"):
            data[name] = f"Benchmark Patient {number}"
        elif kind == "email" or "email" in name:
            data[name] = f"patient-{number}@example.com"
        elif kind == "tel" or "phone" in name:
            data[name] = "574-404-7246"
        elif tag == "textarea" or name == "message":
            data[name] = (
                "I have had low back pain for months and would like to know whether it could "
                f"be a trapped nerve. Benchmark marker: {marker}."
            )
        else:
            data[name] = field.get("value", "")
    preferred = {"preferred_contact": "email", "reason": "condition"}
    for name, values in radios.items():
        data[name] = preferred.get(name) if preferred.get(name) in values else values[0]
    missing = {"csrfmiddlewaretoken", "form_token", HONEYPOT} - set(data)
    if missing:
        raise FormShapeError(f"the form lacks {sorted(missing)}")
    return data


class Outcome:
    def __init__(self, marker):
        self.marker = marker
        self.accepted = False
        self.statuses = []  # (step, status)
        self.post_seconds = None
        self.cycle_seconds = None
        self.error = None
        self.reference_seen = False
        self.double = None  # for a double click: both statuses, and whether both lead to one page


def submit_once(site: Site, marker, number, double=False):
    outcome = Outcome(marker)
    started = time.perf_counter()
    try:
        cookies = {}
        page = site.get(FORM_PATH)
        outcome.statuses.append(("GET form", page.status))
        cookies.update(page.cookies)
        if page.status != 200:
            outcome.error = f"GET {FORM_PATH}: {page.status}"
            return outcome
        data = fill(find_form(page.text), marker, number)

        def post():
            return site.request(
                "POST",
                FORM_PATH,
                body=data,
                cookies=cookies,
                headers={"Referer": f"{site.origin}{FORM_PATH}", "Origin": site.origin},
            )

        if double:
            # A double click: the same served form posted twice at the same moment. It must
            # give one inquiry (both answers lead to the same thank-you page).
            with ThreadPoolExecutor(max_workers=1) as extra:
                second = extra.submit(post)
                posted = post()
                twin = second.result()
            outcome.statuses.append(("POST again", twin.status))
            outcome.double = {
                "statuses": (posted.status, twin.status),
                "same_page": posted.headers.get("location") == twin.headers.get("location"),
            }
        else:
            posted = post()
        outcome.post_seconds = posted.seconds
        outcome.statuses.append(("POST", posted.status))
        cookies.update(posted.cookies)
        if posted.status not in (302, 303):
            outcome.error = f"POST: {posted.status} {error_hint(posted.text)}"
            return outcome
        thanks = site.get(path_of(posted.headers.get("location", "/")), cookies=cookies)
        outcome.statuses.append(("GET thanks", thanks.status))
        if thanks.status != 200:
            outcome.error = f"GET thank-you page: {thanks.status}"
            return outcome
        outcome.accepted = True
        outcome.reference_seen = "R-" in thanks.text
    except FormShapeError:
        raise
    except Exception as exc:  # noqa: BLE001 (a failed request is a result to report)
        outcome.error = f"{type(exc).__name__}: {exc}"
    finally:
        outcome.cycle_seconds = time.perf_counter() - started
    return outcome


def error_hint(html):
    """The first error message on a re-shown form, to say why a POST was not accepted."""
    import re

    for pattern in (r"govuk-error-summary__list.*?<(?:a|li)[^>]*>(.*?)</", r"<title>(.*?)</title>"):
        match = re.search(pattern, html, re.DOTALL)
        if match:
            return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip()[:160]
    return ""


def run(site: Site, run_id, label, submissions, clients, double_every=0, log=print):
    """Warm up with a few sequential submissions, then `submissions` from `clients` threads.

    Every `double_every`-th submission is a double click (the same form posted twice at once).
    """
    prefix = f"benchmark-{run_id}-{label}-"
    warm = [submit_once(site, f"{prefix}warm{n}", f"w{n}") for n in range(3)]
    if not all(o.accepted for o in warm):
        first = next(o for o in warm if not o.accepted)
        raise FormShapeError(
            f"a single submission was not accepted: {first.error} (statuses {first.statuses})"
        )
    counter = iter(range(submissions))
    lock = threading.Lock()

    def next_number():
        with lock:
            return next(counter, None)

    def client():
        results = []
        while not STOP.is_set() and (n := next_number()) is not None:
            double = bool(double_every) and n % double_every == double_every - 1
            results.append(submit_once(site, f"{prefix}{n:05d}", n, double=double))
        return results

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        futures = [pool.submit(client) for _ in range(clients)]
        outcomes = [o for f in futures for o in f.result()]
    elapsed = time.perf_counter() - started
    outcomes += warm
    timed = [o for o in outcomes if o not in warm]
    accepted = [o for o in timed if o.accepted]
    statuses = {}
    for o in outcomes:
        for step, status in o.statuses:
            key = f"{step} {status}"
            statuses[key] = statuses.get(key, 0) + 1
    doubles = [o for o in timed if o.double]
    post_ms = [o.post_seconds * 1000 for o in timed if o.post_seconds is not None]
    cycle_ms = [o.cycle_seconds * 1000 for o in accepted]
    return {
        "prefix": prefix,
        "clients": clients,
        "attempted": len(timed),
        "accepted": len(accepted),
        "accepted_markers": sorted(o.marker for o in outcomes if o.accepted),
        "all_markers": sorted(o.marker for o in outcomes),
        "errors": [o.error for o in outcomes if o.error][:10],
        "error_count": sum(1 for o in outcomes if o.error),
        "server_errors": sum(n for k, n in statuses.items() if k.split()[-1].startswith("5")),
        "statuses": statuses,
        "seconds": elapsed,
        "submissions_per_s": len(accepted) / elapsed if elapsed else 0.0,
        "post_p50_ms": percentile(post_ms, 50),
        "post_p99_ms": percentile(post_ms, 99),
        "cycle_p50_ms": percentile(cycle_ms, 50),
        "cycle_p99_ms": percentile(cycle_ms, 99),
        "thanks_shows_reference": sum(1 for o in accepted if o.reference_seen),
        "double_clicks": len(doubles),
        "double_clicks_one_page": sum(1 for o in doubles if o.double["same_page"]),
        "double_click_statuses": sorted({str(o.double["statuses"]) for o in doubles}),
    }


def verify(stored, result):
    """Every accepted marker stored exactly once; nothing stored for a refused one."""
    markers = stored["markers"]
    accepted = set(result["accepted_markers"])
    missing = sorted(m for m in accepted if markers.get(m, 0) == 0)
    duplicated = sorted(m for m, n in markers.items() if n > 1)
    unexpected = sorted(m for m in markers if m not in accepted)
    return {
        "stored_rows": stored["rows"],
        "stored_unique_markers": len(markers),
        "accepted": len(accepted),
        "missing": missing[:10],
        "missing_count": len(missing),
        "duplicated": duplicated[:10],
        "duplicated_count": len(duplicated),
        "stored_but_not_accepted": unexpected[:10],
        "stored_but_not_accepted_count": len(unexpected),
        "exactly_once": not missing and not duplicated and stored["rows"] == len(markers),
    }
