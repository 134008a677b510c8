"""Patients sending the contact form at once, and a reader loading an article meanwhile."""

import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from html import unescape
from urllib.parse import urlsplit

import httpx

FORM = "/contact/"
PATIENT = {
    "email": "patient@example.com",
    "phone": "574-404-7246",
    "preferred_contact": "email",
    "reason": "condition",
    "consent": "on",
    "message": "I have had low back pain for months. Could it be a trapped nerve?",
    "website": "",  # the honeypot: present and empty, as a person's browser sends it
}


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))] if ordered else None


def hammer(http, path, connections, done):
    """GET `path` on `connections` threads until done(): latencies in ms, and the bad answers."""
    latencies, bad = [], []

    def loop():
        while not done():
            try:
                response = http.get(path)
            except httpx.HTTPError as exc:
                bad.append(type(exc).__name__)
                continue
            latencies.append(response.elapsed.total_seconds() * 1000)
            if not 200 <= response.status_code < 400:
                bad.append(response.status_code)

    threads = [threading.Thread(target=loop) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, bad


def with_cookies(response, jar=None):
    """`jar` plus the cookies `response` sets. Carried by hand: production marks them Secure,
    and the benchmark speaks plain HTTP to gunicorn, as the TLS-terminating proxy does."""
    jar = dict(jar or {})
    for header in response.headers.get_list("set-cookie"):
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def cookie_header(jar):
    return {"Cookie": "; ".join(f"{name}={value}" for name, value in jar.items())}


def hidden_inputs(html):
    fields = {}
    for tag in re.findall(r"<input\b[^>]*>", html):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', tag))
        if attrs.get("type") == "hidden" and "name" in attrs:
            fields[attrs["name"]] = unescape(attrs.get("value", ""))
    return fields


def form_error(html):
    found = re.search(r"govuk-error-summary__list(.*?)</ul>", html, re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found[1])).strip() if found else ""


def submit(http, origin, marker, double=False):
    """One patient: GET the form, POST it (twice at the same moment for a double click, which
    must still make one inquiry), then GET the thank-you page it redirects to."""
    outcome = {"marker": marker, "statuses": [], "post_ms": None, "error": None}
    try:
        form = http.get(FORM)
        outcome["statuses"].append(f"GET form {form.status_code}")
        jar = with_cookies(form)
        data = hidden_inputs(form.text) | PATIENT | {"name": marker}  # counted afterwards
        headers = {**cookie_header(jar), "Origin": origin, "Referer": origin + FORM}

        def post():
            return http.post(FORM, data=data, headers=headers)

        if double:
            with ThreadPoolExecutor(1) as twin:
                second = twin.submit(post)
                answers = [post(), second.result()]
        else:
            answers = [post()]
        posted = answers[0]
        outcome["statuses"] += [f"POST {answer.status_code}" for answer in answers]
        outcome["post_ms"] = posted.elapsed.total_seconds() * 1000
        if any(answer.status_code != 302 for answer in answers):
            codes = [answer.status_code for answer in answers]
            outcome["error"] = f"POST answered {codes} {form_error(posted.text)}"
            return outcome
        thanks_path = urlsplit(posted.headers["location"]).path
        thanks = http.get(thanks_path, headers=cookie_header(with_cookies(posted, jar)))
        outcome["statuses"].append(f"GET thanks {thanks.status_code}")
        if thanks.status_code != 200:
            outcome["error"] = f"thank-you page answered {thanks.status_code}"
    except httpx.HTTPError as exc:
        outcome["error"] = f"{type(exc).__name__}: {exc}"
    return outcome


def submissions(http, origin, prefix, total, clients, double_every, article):
    """One submission alone first (it proves the form can be posted at all), then `total` from
    `clients` threads while one reader loads `article` over and over."""
    warm = submit(http, origin, f"{prefix}w")
    if warm["error"]:
        raise RuntimeError(f"a single submission failed: {warm['error']}")

    def patient(n):
        double = bool(double_every) and n % double_every == double_every - 1
        return submit(http, origin, f"{prefix}{n}", double)

    finished = threading.Event()
    pool = ThreadPoolExecutor(clients)
    with ThreadPoolExecutor(1) as reader:
        reading = reader.submit(hammer, http, article, 1, finished.is_set)
        started = time.perf_counter()
        try:
            outcomes = list(pool.map(patient, range(total)))
        finally:
            seconds = time.perf_counter() - started
            finished.set()
            pool.shutdown(cancel_futures=True)
        article_ms, article_bad = reading.result()
    statuses = Counter(s for o in [warm, *outcomes] for s in o["statuses"])
    accepted = sum(not o["error"] for o in outcomes)
    post_ms = [o["post_ms"] for o in outcomes if o["post_ms"] is not None]
    return {
        "submissions": total,
        "clients": clients,
        "accepted": accepted,
        "accepted_markers": [o["marker"] for o in [warm, *outcomes] if not o["error"]],
        "errors": [o["error"] for o in outcomes if o["error"]][:3],
        "statuses": dict(statuses),
        "5xx": sum(n for status, n in statuses.items() if int(status.split()[-1]) >= 500),
        "double_clicks": sum(str(o["statuses"]).count("POST") == 2 for o in outcomes),
        "seconds": seconds,
        "per_s": accepted / seconds,
        "post_p50_ms": percentile(post_ms, 50),
        "post_p99_ms": percentile(post_ms, 99),
        "article_requests": len(article_ms),
        "article_p50_ms": percentile(article_ms, 50),
        "article_p99_ms": percentile(article_ms, 99),
        "article_bad": len(article_bad),
    }
