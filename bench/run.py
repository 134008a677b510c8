"""`make bench`: the site under gunicorn with production settings. See bench/README.md."""

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import patients
import psycopg
import redis

from deploy.processes import free_port, gunicorn_command

# The page cache's validation function, called on every cache hit: no arguments; one query on
# SQLite, none on PostgreSQL while the process's listener is live.
VALIDATE = "clinic_site.core.pagecache.listener:current_version"

REPO = Path(__file__).resolve().parent.parent
# Installed by `make bench` and `make lighthouse` from bench/package.json.
LIGHTHOUSE = REPO / "bench" / "node_modules" / ".bin" / "lighthouse"
HOST = "clinic.example"
ORIGIN = f"https://{HOST}"
PROXY_HEADERS = {"Host": HOST, "X-Forwarded-Proto": "https"}  # as the TLS proxy sends them
SLUG = "cluneal-nerve-entrapment"
PAGE = f"/conditions/{SLUG}/"
FLOOR = "/robots.txt"  # a trivial Django view: the least any page can cost
COPY = "bench-page-copy.html"
AIM_RATIO = 0.85


def knob(name, default):
    return type(default)(os.environ.get(name, default))


SECONDS = knob("BENCH_SECONDS", 4)
ROUNDS = knob("BENCH_ROUNDS", 3)
CONNECTIONS = [int(c) for c in knob("BENCH_CONNECTIONS", "1,16").split(",")]
SIZES = [int(n) for n in knob("BENCH_SIZES", "10,1000,10000").split(",")]
SIZE_ROUNDS = knob("BENCH_SIZE_ROUNDS", 1)
VALIDATE_CALLS = knob("BENCH_VALIDATE_CALLS", 300)
SUBMISSIONS = knob("BENCH_SUBMISSIONS", 512)
CLIENTS = knob("BENCH_CLIENTS", 32)
DOUBLE_EVERY = knob("BENCH_DOUBLE_EVERY", 8)
DRAIN_SECONDS = knob("BENCH_DRAIN_SECONDS", 120)
REDIS_URL = knob("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
POSTGRES_URL = knob("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
# Parts to run, comma-separated (`pages,search`); empty: every part.
ONLY = {part for part in knob("BENCH_ONLY", "").split(",") if part}


def wanted(part):
    return not ONLY or part in ONLY


PREFIX = f"clinic-bench-{os.getpid()}"
RUNNING = []  # every process started, stopped on every exit path


def log(text=""):
    print(text, flush=True)


def base_env(tmp):
    """Production settings, as a deployment sets them; nothing inherited that could change them."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "CONTACT_", "BENCH_"))
        and k not in ("DATABASE_URL", "REDIS_URL", "SITE_URL")
    }
    return env | {
        "PYTHONPATH": str(REPO),
        "DJANGO_SETTINGS_MODULE": "clinic_site.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-" + secrets.token_urlsafe(48),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "SITE_URL": ORIGIN,
        "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_STATIC_ROOT": str(tmp / "static"),
        "DJANGO_CACHE_PREFIX": PREFIX,
        "REDIS_URL": "",
        # Many patients from one address, posting at once: no rate limit, no minimum time.
        "CONTACT_RATE_LIMIT": "1000000/1m",
        "CONTACT_MIN_SECONDS": "0",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_TIMEOUT": "10",
    }


def step(env, *args):
    """One step of bench/steps.py, inside Django, with `env`; its JSON answer."""
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "steps.py"), *map(str, args)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if done.returncode:
        raise RuntimeError(f"steps.py {args[0]} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.splitlines()[-1])


def start(cmd, env, log_path):
    with open(log_path, "ab") as out:
        proc = subprocess.Popen(
            cmd, env=env, cwd=REPO, stdout=out, stderr=out, start_new_session=True
        )
    RUNNING.append(proc)
    return proc


def stop(proc):
    """SIGTERM to the process group, SIGKILL to whatever is left of it after 20 s."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=20)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    RUNNING.remove(proc)


@contextlib.contextmanager
def gunicorn(env, tmp, name):
    """What production runs: 2 sync workers, on loopback (deploy/processes.py)."""
    port, log_path = free_port(), tmp / f"{name}.log"
    cmd = gunicorn_command(
        port, workers=2, control_socket=tmp / f"{name}.ctl", options=["--timeout=60"]
    )
    proc = start(cmd, env, log_path)
    no_cookies = CookieJar(DefaultCookiePolicy(allowed_domains=[]))  # each patient carries theirs
    http = httpx.Client(
        base_url=f"http://127.0.0.1:{port}", headers=PROXY_HEADERS, cookies=no_cookies, timeout=60
    )
    try:
        wait_ready(proc, lambda: http.get(FLOOR), log_path)
        yield port, http
    finally:
        http.close()
        stop(proc)


def wait_ready(proc, ready, log_path):
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        with contextlib.suppress(OSError, httpx.TransportError):
            return ready()
        time.sleep(0.2)
    raise RuntimeError(f"{log_path.name}: did not start\n{log_path.read_text()[-2000:]}")


@contextlib.contextmanager
def mail_server(kind, tmp, name):
    """`up`: aiosmtpd keeping every message in a maildir; `hung`: a socket nobody ever answers
    on (the kernel completes each connection, nothing is read or written: a hung relay)."""
    port = free_port()
    if kind == "hung":
        with socket.create_server(("127.0.0.1", port), backlog=1024):
            yield port, lambda: 0
        return
    maildir, log_path = tmp / f"{name}-mail", tmp / f"{name}-smtp.log"
    cmd = [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}"]
    proc = start([*cmd, "-c", "aiosmtpd.handlers.Mailbox", str(maildir)], os.environ, log_path)
    try:
        wait_ready(proc, lambda: socket.create_connection(("127.0.0.1", port), 1).close(), log_path)
        yield port, lambda: sum(1 for _ in (maildir / "new").iterdir())
    finally:
        stop(proc)


def load(port, path, connections, seconds):
    """wrk (C, so it takes little CPU from the server on a 2-core machine), or a Python loop."""
    if not shutil.which("wrk"):
        deadline = time.monotonic() + seconds
        identity = PROXY_HEADERS | {"Accept-Encoding": "identity"}  # as wrk: equal bytes
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=identity) as http:
            ms, bad = patients.hammer(http, path, connections, lambda: time.monotonic() > deadline)
        return {
            "rps": len(ms) / seconds,
            "p50_ms": patients.percentile(ms, 50),
            "p99_ms": patients.percentile(ms, 99),
            "bad": len(bad),
        }
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "30s"]
    cmd += [arg for name, value in PROXY_HEADERS.items() for arg in ("-H", f"{name}: {value}")]
    out = subprocess.run(
        [*cmd, f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    ).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)\s*$", out, re.MULTILINE))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        "p50_ms": wrk_ms(latency["50"]),
        "p99_ms": wrk_ms(latency["99"]),
        "bad": (int(bad[1]) if bad else 0) + (sum(map(int, errors.groups())) if errors else 0),
    }


def wrk_ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 1e-3, "ms": 1, "s": 1e3, "m": 6e4}[unit]


def rounds(port, targets, connections, count):
    """Interleaved rounds: every target back to back, page and static taking turns to go first,
    so each pair shares the machine's load of the moment. Medians over the rounds, and the
    median of the per-round ratios to the static file."""
    for path in targets.values():
        load(port, path, max(connections), 1)  # warm-up
    summary = {}
    for conns in connections:
        runs = []
        for n in range(count):
            order = ["page", "static"] if n % 2 == 0 else ["static", "page"]
            order += [t for t in targets if t not in order]
            runs.append({t: load(port, targets[t], conns, SECONDS) for t in order})
            done = ", ".join(f"{t} {r['rps']:.0f}/s" for t, r in runs[-1].items())
            log(f"    c={conns} round {n + 1}: {done}")
        row = {
            t: {k: statistics.median(r[t][k] for r in runs) for k in ("rps", "p50_ms", "p99_ms")}
            | {"bad": sum(r[t]["bad"] for r in runs)}
            for t in targets
        }
        for t in targets:
            row[f"{t}_ratio"] = statistics.median(r[t]["rps"] / r["static"]["rps"] for r in runs)
        summary[conns] = row
    return summary


def page_weight(http):
    """Bodies as served (compressed where the server compresses) of the page and of everything
    a browser fetches for it: stylesheets, icons, scripts, images, preloads, CSS url()s."""
    rels = {"stylesheet", "icon", "apple-touch-icon", "preload", "modulepreload", "manifest"}
    queue, rows, offsite, seen = [("HTML", PAGE)], [], [], set()
    while queue:
        kind, url = queue.pop(0)
        if urlsplit(url).netloc:
            offsite.append(url)  # a request to another host: a privacy failure to report
        if urlsplit(url).netloc or url.startswith(("data:", "#")) or url in seen:
            continue
        seen.add(url)
        r = http.get(url, headers={"Accept-Encoding": "br, gzip"})
        encoding = r.headers.get("content-encoding", "identity")
        rows.append({"kind": kind, "path": url, "status": r.status_code, "encoding": encoding})
        rows[-1] |= {"bytes": r.num_bytes_downloaded, "raw": len(r.content)}
        if kind == "HTML":
            for tag, attrs in re.findall(r"<(link|script|img)\b([^>]*)>", r.text):
                a = dict(re.findall(r'([\w-]+)="([^"]*)"', attrs))
                if tag != "link" or rels & set(a.get("rel", "").split()):
                    queue += [(tag, a[k]) for k in ("href", "src") if k in a]
        elif r.headers.get("content-type", "").startswith("text/css"):
            refs = re.findall(r"url\(\s*['\"]?([^'\")]+)", r.text)
            refs = [urljoin(url, ref) for ref in refs if not ref.startswith(("data:", "#"))]
            queue += [("css url()", ref) for ref in refs]
    total = sum(r["bytes"] for r in rows)
    return {"rows": rows, "requests": len(rows), "bytes": total, "offsite": offsite}


def staff_edit(http, env, probes=4):
    """A staff edit (another process saving the article, as the admin does) shows on the very
    next request on every worker, and so does taking it out again."""
    marker = f"Staff edit {secrets.token_hex(5)}"
    for _ in range(probes):
        http.get(PAGE)  # the current version stored in every worker
    step(env, "edit", SLUG, marker)
    shown = sum(marker in http.get(PAGE).text for _ in range(probes))
    step(env, "edit", SLUG, marker, "undo")
    removed = sum(marker not in http.get(PAGE).text for _ in range(probes))
    return {"shown": shown, "removed": removed, "probes": probes}


def bench_pages(env, tmp, pristine, static, modes, results, failures):
    """`modes`: (label, DATABASE_URL, REDIS_URL); SQLite gets a fresh copy of the content."""
    log("\nA. Condition page vs a static file of the same size")
    for label, database, redis_url in modes:
        name = f"pages-{label.split()[0].lower()}"
        if database.startswith("sqlite"):
            database = copy_sqlite(pristine, tmp / f"{name}.sqlite3")  # the same content
        mode_env = env | {"DATABASE_URL": database, "REDIS_URL": redis_url}
        log(f"  [{label}]")
        if not database.startswith("sqlite"):
            results.setdefault("notify", {})[label] = step(mode_env, "notify_latency")
        with gunicorn(mode_env, tmp, name) as (port, http):
            targets = {"page": PAGE, "static": static, "floor": FLOOR}
            sizes = {}
            for target, path in targets.items():
                response = http.get(path, headers={"Accept-Encoding": "identity"})
                if response.status_code != 200:
                    raise RuntimeError(f"{path} answered {response.status_code}")
                sizes[target] = len(response.content)
            if "weight" not in results:
                results["weight"] = page_weight(http)
            mode = {"sizes": sizes, "summary": rounds(port, targets, CONNECTIONS, ROUNDS)}
            mode["staff_edit"] = staff_edit(http, mode_env)
        results.setdefault("pages", {})[label] = mode
        bad = sum(row[t]["bad"] for row in mode["summary"].values() for t in targets)
        edit = mode["staff_edit"]
        check(
            failures,
            f"pages [{label}]",
            (f"{bad} answers not 2xx/3xx or socket errors", bad),
            ("a staff edit did not show on the next request", edit["shown"] < edit["probes"]),
            ("a removed edit still showed", edit["removed"] < edit["probes"]),
        )


def bench_lighthouse(env, tmp, pristine, results, failures):
    """Lighthouse (npm, mobile defaults) on each kind of public page, four categories and the
    layout shift, one run each (`make lighthouse`, bench/lighthouse.py: medians of 3)."""
    import lighthouse  # here: it imports this module

    log("\nD. Lighthouse, mobile: performance, accessibility, best practices, SEO")
    database = copy_sqlite(pristine, tmp / "lighthouse.sqlite3")
    # Plain http on loopback: no redirect to https, which a browser would follow.
    site_env = env | {"DATABASE_URL": database, "DJANGO_SECURE_SSL_REDIRECT": "false",
                      "DJANGO_ALLOWED_HOSTS": "127.0.0.1"}  # fmt: skip
    pages = ["/", PAGE, "/treatments/cryoablation/", "/urgent-help/", "/contact/"]
    with gunicorn(site_env, tmp, "lighthouse") as (port, _http):
        for path in pages:
            found = lighthouse.audit(f"http://127.0.0.1:{port}{path}", tmp / "lighthouse.json")
            scores, shift = found["scores"], found["metrics"]["CLS"]
            results.setdefault("lighthouse", {})[path] = scores | {"CLS": shift}
            check(failures, f"lighthouse {path}", *[
                (f"{name} {score} < 100 (noisy on a busy machine: run again)", score < 100)
                for name, score in scores.items()
            ], (f"layout shift {shift:.3f} (aim: none)", shift > 0))  # fmt: skip


def bench_sizes(env, tmp, label, database, static, results, failures):
    log(f"\nC. Page cache cost vs content size [{label}]")
    size_env = env | {"DATABASE_URL": database}
    name = f"sizes-{label.lower()}"
    with gunicorn(size_env, tmp, name) as (port, http):
        for count in SIZES:
            row = step(size_env, "grow", SLUG, count, VALIDATE, VALIDATE_CALLS)
            for _ in range(4):
                http.get(PAGE)  # every worker renders the changed content once
            row |= rounds(port, {"page": PAGE, "static": static}, [1], SIZE_ROUNDS)[1]
            results.setdefault("sizes", []).append({"database": label, "generated": count} | row)
            if row["hit_status"] != 200 or row["page"]["bad"]:
                failures.append(f"sizes [{label}, {count}]: the page did not answer 200")


# Searches of part E: many matches (every generated copy), a rare term, a misspelling, and
# the suggestions as a patient types.
SEARCHES = {
    "many": "/search/?q=buttock+pain",
    "rare": "/search/?q=cryoneurolysis",
    "misspelt": "/search/?q=clunial",
    "suggest": "/search/suggest/?q=clun",
}
SEARCH_AIM_P99_MS = 20


def bench_search(env, tmp, label, database, results, failures):
    log(f"\nE. Search vs content size [{label}]")
    search_env = env | {"DATABASE_URL": database}
    with gunicorn(search_env, tmp, f"search-{label.lower()}") as (port, http):
        for count in SIZES:
            grown = step(search_env, "grow", SLUG, count, VALIDATE, 1)
            step(search_env, "analyze")
            row = {"database": label, "generated": count, "refresh_ms": grown["refresh_ms"]}
            for name, path in SEARCHES.items():
                firsts = []
                for _ in range(4):  # every worker loads the vocabulary of this content
                    started = time.monotonic()
                    http.get(path)
                    firsts.append((time.monotonic() - started) * 1000)
                row[f"{name}_first_ms"] = max(firsts[:2])
                row[name] = load(port, path, 1, SECONDS)
                if row[name]["bad"]:
                    failures.append(f"search [{label}, {count}]: {path} did not answer 2xx")
            results.setdefault("search", []).append(row)


def bench_contact(env, tmp, label, database, redis_url, worker, results, failures):
    """The contact form with the staff mail server up, then hung."""
    hung_count = knob("BENCH_HUNG_SUBMISSIONS", SUBMISSIONS if worker else 8)
    for mail, count in (("up", SUBMISSIONS), ("hung", hung_count)):
        if not count:
            continue
        log(f"\nB. Contact form [{label}, mail server {mail}]: {count} submissions")
        name, prefix = f"contact-{label.lower()}-{mail}", f"bench{secrets.token_hex(3)}{mail}"
        with contextlib.ExitStack() as running:
            port, delivered = running.enter_context(mail_server(mail, tmp, name))
            run_env = env | {"DATABASE_URL": database, "REDIS_URL": redis_url}
            run_env |= {"DJANGO_EMAIL_PORT": str(port)}
            _port, http = running.enter_context(gunicorn(run_env, tmp, name))
            if worker:
                cmd = [sys.executable, "manage.py", "db_worker"]
                running.callback(stop, start(cmd, run_env, tmp / f"{name}-worker.log"))
            run = patients.submissions(
                http, ORIGIN, prefix, count, min(CLIENTS, count), DOUBLE_EVERY, PAGE
            )
            waiting = time.monotonic()  # for the worker, if any, to deliver every email
            while mail == "up" and delivered() < len(run["accepted_markers"]):
                if time.monotonic() > waiting + DRAIN_SECONDS:
                    break
                time.sleep(0.5)
            run["emails"], run["drain_seconds"] = delivered(), time.monotonic() - waiting
        stored = step(run_env, "count", prefix)["markers"]
        accepted = run.pop("accepted_markers")
        run["stored"] = sum(stored.values())
        run["lost"] = len(set(accepted) - set(stored))
        run["duplicated"] = sum(n > 1 for n in stored.values())
        run["reduced"] = count < SUBMISSIONS
        results.setdefault("contact", []).append({"database": label, "mail": mail} | run)
        check(
            failures,
            f"contact [{label}, mail {mail}]",
            (f"{run['5xx']} answers were 5xx", run["5xx"]),
            (f"{run['lost']} accepted submissions lost", run["lost"]),
            (f"{run['duplicated']} submissions stored twice", run["duplicated"]),
            (f"{run['accepted']} of {count} accepted: {run['errors']}", run["accepted"] < count),
            (f"{run['article_bad']} article answers not 2xx/3xx", run["article_bad"]),
            (f"{run['emails']} emails, {run['stored']} stored", run["emails"] > run["stored"]),
        )
        log(f"  {run['per_s']:.1f} submissions/s, POST p99 {run['post_p99_ms']:.0f} ms")


def table(headers, rows):
    def cell(value):
        if isinstance(value, float):
            return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
        return "-" if value is None else str(value)

    cells = [headers] + [[cell(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    log("\n".join("  " + line for line in lines))


def report(results, failures):
    if results.get("pages"):
        log("\nA. Condition page vs same-size static file (medians of rounds; ratio to static)")
        rows = [
            [label, conns, r["page"]["rps"], r["static"]["rps"], r["page_ratio"]]
            + [r["floor_ratio"], r["page"]["p50_ms"], r["static"]["p50_ms"]]
            + [r["page"]["p99_ms"], r["static"]["p99_ms"], r["page"]["bad"] + r["static"]["bad"]]
            for label, mode in results["pages"].items()
            for conns, r in mode["summary"].items()
        ]
        heads = ["stack", "conns", "page req/s", "static req/s", f"ratio (aim {AIM_RATIO})"]
        heads += ["floor ratio", "page p50 ms", "static p50", "page p99 ms", "static p99", "bad"]
        table(heads, rows)
        for label, mode in results["pages"].items():
            e, s = mode["staff_edit"], mode["sizes"]
            log(f"  [{label}] page {s['page']:,} bytes, static {s['static']:,} bytes; staff edit")
            log(f"    shown on {e['shown']}/{e['probes']} next requests, gone on {e['removed']}")
        for label, n in results.get("notify", {}).items():
            log(
                f"  [{label}] a change reaches a listener {n['p50_us']:.0f} us (p50), "
                f"{n['p99_us']:.0f} us (p99), {n['max_us']:.0f} us (max) after COMMIT returns "
                f"({n['samples']} commits; {n['not_yet']} not yet there at once)"
            )
    if results.get("weight"):
        w = results["weight"]
        log("\nA. Page weight (Accept-Encoding: br, gzip; bodies as served)")
        heads = ["resource", "path", "status", "encoding", "bytes", "uncompressed"]
        keys = ("kind", "path", "status", "encoding", "bytes", "raw")
        table(heads, [[r[k] for k in keys] for r in w["rows"]])
        log(
            f"  total {w['bytes'] / 1024:.1f} KB in {w['requests']} requests (aims: <= 40 KB, <= 5)"
        )
        if w["offsite"]:
            log(f"  requests to other hosts: {w['offsite']}")
    if results.get("contact"):
        log("\nB. Contact form (POST p50/p99; article = GET of the condition page meanwhile)")
        log(f"  staff email sent by: {results['worker']}")
        heads = ["database", "mail", "subm.", "clients", "accepted", "subm/s", "POST p50 ms"]
        heads += ["POST p99", "article p50", "article p99", "5xx", "lost", "dup", "emails/stored"]
        rows = [
            [r["database"], r["mail"], f"{r['submissions']}{'*' if r['reduced'] else ''}"]
            + [r[k] for k in ("clients", "accepted", "per_s", "post_p50_ms", "post_p99_ms")]
            + [r[k] for k in ("article_p50_ms", "article_p99_ms", "5xx", "lost", "duplicated")]
            + [f"{r['emails']}/{r['stored']}" if r["mail"] == "up" else "-"]
            for r in results["contact"]
        ]
        table(heads, rows)
        if any(r["reduced"] for r in results["contact"]):
            log("  * fewer (BENCH_HUNG_SUBMISSIONS): by default 8 while mail is sent inside the")
            log("    request, where each POST waits the 10 s timeout of a hung mail server")
        for r in results["contact"]:
            if r["mail"] == "up" and results["worker"].startswith("manage.py"):
                log(
                    f"  {r['database']}: emails delivered {r['drain_seconds']:.1f} s after the last"
                )
    if results.get("sizes"):
        log(f"\nC. Page cache cost vs content size (validation: {VALIDATE}; c=1)")
        heads = ["database", "generated", "published", "validate us", "queries", "hit queries"]
        heads += ["page req/s", "static req/s", "ratio", "page p50 ms", "page p99 ms"]
        rows = [
            [r["database"], r["generated"], r["published"], r["validate_us"]]
            + [r["validate_queries"], r["hit_queries"], r["page"]["rps"], r["static"]["rps"]]
            + [r["page_ratio"], r["page"]["p50_ms"], r["page"]["p99_ms"]]
            for r in results["sizes"]
        ]
        table(heads, rows)
    if results.get("search"):
        log(f"\nE. Search through gunicorn, c=1 (aim: p99 under {SEARCH_AIM_P99_MS} ms)")
        heads = ["database", "generated"]
        heads += [f"{name} {what}" for name in SEARCHES for what in ("p50 ms", "p99 ms")]
        heads += ["first many ms", "rebuild ms (worker)"]
        rows = [
            [r["database"], r["generated"]]
            + [r[name][what] for name in SEARCHES for what in ("p50_ms", "p99_ms")]
            + [r["many_first_ms"], r["refresh_ms"]]
            for r in results["search"]
        ]
        table(heads, rows)
        log("  first many: the slowest of the first searches after the content changed (a")
        log("  worker loading the stored vocabulary); rebuild: the task worker's, off requests")
    if results.get("lighthouse"):
        log("\nD. Lighthouse, mobile (scores out of 100; aim: 100 in each)")
        names = ["performance", "accessibility", "best-practices", "seo", "CLS"]
        rows = [[path, *map(scores.get, names)] for path, scores in results["lighthouse"].items()]
        table(["page", *names], rows)
    log("".join(f"\n  SKIPPED: {what}" for what in results["skipped"]))
    log(f"\n  load average {results['load_start']:.1f} at start, {os.getloadavg()[0]:.1f} at end,")
    log(f"  {os.cpu_count()} CPUs: above that, other work competed and absolute figures are low")
    ok = "OK: no 5xx, nothing lost or stored twice, edits shown at once"
    log(f"\nResult: {'FAIL' if failures else ok}")
    for failure in failures:
        log(f"  FAIL: {failure}")


def check(failures, where, *problems):
    failures.extend(f"{where}: {problem}" for problem, happened in problems if happened)


def attempt(results, failures, name, part, *args):
    started = time.monotonic()
    try:
        part(*args)
    except Exception as exc:  # noqa: BLE001 (reported; the other parts still run)
        failures.append(f"{name}: {type(exc).__name__}: {exc}")
    results.setdefault("part_seconds", {})[name] = round(time.monotonic() - started)


def copy_sqlite(source, target):
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return f"sqlite:///{target}"


def main():
    if ONLY == {"editor"}:
        return 0  # bench/editor_input.py, which `make bench` runs first, is the whole part
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="clinic-bench-"))
    results = {"started": time.strftime("%Y-%m-%d %H:%M"), "load_start": os.getloadavg()[0]}
    failures, postgres, skipped = [], None, results.setdefault("skipped", [])
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))
    try:
        env = base_env(tmp)
        pristine = tmp / "pristine.sqlite3"
        log(f"Benchmark: gunicorn, 2 sync workers, production settings; files in {tmp}")
        made = step(env | {"DATABASE_URL": f"sqlite:///{pristine}"}, "setup", PAGE, COPY)
        worker = made["worker"]
        results["worker"] = "manage.py db_worker" if worker else "none: mail sent in the request"
        caches = [("local memory", "")]
        try:
            if not REDIS_URL:
                raise ValueError("BENCH_REDIS_URL is empty")
            redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
            caches.append(("Redis", REDIS_URL))
        except (ValueError, redis.RedisError) as exc:
            skipped.append(f"Redis ({exc})")
        databases = [("SQLite", copy_sqlite(pristine, tmp / "site.sqlite3"))]
        try:
            if not POSTGRES_URL:
                raise ValueError("BENCH_POSTGRES_URL is empty")
            name = f"bench_clinic_{os.getpid()}"
            with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=3) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            postgres = name
            databases.append(("PostgreSQL", urlsplit(POSTGRES_URL)._replace(path=name).geturl()))
            step(env | {"DATABASE_URL": databases[-1][1]}, "setup")
        except (ValueError, psycopg.Error) as exc:
            skipped.append(f"PostgreSQL ({exc})")
        static = f"/static/{COPY}"
        if wanted("pages"):
            # What one machine runs (SQLite, each worker's memory) and what production runs.
            modes = [("SQLite", databases[0][1], "")]
            if len(databases) > 1:
                modes.append((f"PostgreSQL + {caches[-1][0]}", databases[1][1], caches[-1][1]))
            args = (env, tmp, pristine, static, modes, results, failures)
            attempt(results, failures, "pages", bench_pages, *args)
        if wanted("lighthouse") and LIGHTHOUSE.exists():
            attempt(results, failures, "lighthouse", bench_lighthouse, env, tmp, pristine, results,
                    failures)  # fmt: skip
        for label, database in databases:
            if wanted("contact"):
                redis_url = caches[-1][1]  # as in production: the rate limit shared by workers
                args = (env, tmp, label, database, redis_url, worker, results, failures)
                attempt(results, failures, f"contact [{label}]", bench_contact, *args)
            # Search before sizes: search grows the pages from 10 on a database no part has
            # grown yet (rows removed leave dead rows and FTS5 deletions that slow a search
            # down); the page cache of sizes then shrinks it back to 10, unhurt by them.
            if wanted("search"):
                args = (env, tmp, label, database, results, failures)
                attempt(results, failures, f"search [{label}]", bench_search, *args)
            if wanted("sizes"):
                args = (env, tmp, label, database, static, results, failures)
                attempt(results, failures, f"sizes [{label}]", bench_sizes, *args)
    except (Exception, KeyboardInterrupt, SystemExit) as exc:  # noqa: BLE001 (reported)
        failures.append(f"stopped: {type(exc).__name__}: {exc}")
    finally:
        for proc in list(RUNNING):
            stop(proc)
        try:
            if postgres:
                with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{postgres}" WITH (FORCE)')
        except psycopg.Error as exc:
            failures.append(f"database {postgres} left behind: {exc}")
        with contextlib.suppress(ValueError, redis.RedisError):  # skipped, or gone away
            client = redis.Redis.from_url(REDIS_URL)
            for key in client.scan_iter(match=f"{PREFIX}:*"):
                client.delete(key)
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(tmp, ignore_errors=True)
    report(results, failures)
    results |= {"failures": failures, "seconds": time.monotonic() - started}
    (REPO / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    log(f"\n  took {results['seconds']:.0f} s {results.get('part_seconds', {})}")
    log("  figures also in bench/results.json")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
