"""`make bench`: the condition page and the contact form under gunicorn, production settings.

See bench/README.md for what is measured and how to read it. Knobs (environment variables):

    BENCH_SECONDS=4          length of each wrk run
    BENCH_ROUNDS=3           interleaved rounds of page / static file (medians are reported)
    BENCH_CONNECTIONS=1,8    concurrent connections for the page runs
    BENCH_SUBMISSIONS=512    contact form submissions per database
    BENCH_CLIENTS=32         concurrent contact form clients
    BENCH_DOUBLE_EVERY=8     every 8th submission is a double click (same form posted twice at
                             once); 0 turns that off
    BENCH_REDIS_URL=redis://127.0.0.1:6379/0                   "" skips the Redis runs
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres   "" skips PostgreSQL
    BENCH_ONLY=pages|contact run one part only
    BENCH_LOAD_TOOL=python   use the threaded Python client even when wrk is installed
    BENCH_FLOOR=0            skip the robots.txt "floor" runs (a trivial Django view)
    BENCH_KEEP=1             keep the temporary directory (databases, logs) for a look afterwards

Exit status: 0 when every response was fine and every accepted submission is stored exactly
once; 1 on any 5xx (or other unexpected status), lost or duplicated submission, or failed step.
The aims (ratio, weight, request count) are reported, not enforced.
"""

import json
import os
import secrets
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

import contactbench  # noqa: E402
import load  # noqa: E402
import pagebench  # noqa: E402
import serve  # noqa: E402
from report import heading, kb, table  # noqa: E402
from webclient import Site  # noqa: E402

HOST = "clinic.example"
SLUG = "cluneal-nerve-entrapment"
PAGE_PATH = f"/conditions/{SLUG}/"
COPY_NAME = "bench/condition-page-copy.html"
FLOOR_PATH = "/robots.txt"  # a trivial Django view: the floor of what any page costs

# Aims from the issue.
AIM_RATIO = 0.7
AIM_WEIGHT = 40 * 1024
AIM_REQUESTS = 4


def knob(name, default):
    return os.environ.get(name, default)


def log(message=""):
    print(message, flush=True)


def base_env(tmp):
    """Production settings, as a deployment sets them; nothing inherited that could change them.

    HTTPS: the benchmark keeps SECURE_SSL_REDIRECT on (the production default) and sends
    X-Forwarded-Proto: https on every request, as the TLS-terminating proxy in front of gunicorn
    does. So the code path measured (secure request, secure cookies, CSRF Referer check) is the
    production one, and no redirect is ever measured by mistake.
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "CONTACT_", "BENCH_"))
        and k not in ("DATABASE_URL", "REDIS_URL", "SITE_URL", "PAGE_CACHE_SECONDS")
    }
    env.update(
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        DJANGO_SETTINGS_MODULE="bench.bench_settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="bench-" + secrets.token_urlsafe(48),
        DJANGO_ALLOWED_HOSTS=HOST,
        SITE_URL=f"https://{HOST}",
        DJANGO_LOG_LEVEL="WARNING",
        BENCH_STATIC_ROOT=str(tmp / "static_root"),
        BENCH_STATIC_EXTRA=str(tmp / "static_extra"),
        DJANGO_CACHE_PREFIX=f"clinic-bench-{os.getpid()}",
        # Contact form: no waiting, no limit, no mail server.
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        CONTACT_RATE_LIMIT="1000000/1m",
        CONTACT_MIN_SECONDS="0",
        REDIS_URL="",
    )
    return env


def redis_reachable(url):
    if not url:
        return False, "BENCH_REDIS_URL is empty"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
        return True, ""
    except Exception as exc:  # noqa: BLE001 (any failure means: skip Redis)
        return False, f"{type(exc).__name__}: {exc}"


def redis_cleanup(url, prefix):
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=5)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        for start in range(0, len(keys), 500):
            client.delete(*keys[start : start + 500])
        return len(keys)
    except Exception:  # noqa: BLE001 (cleanup is best effort; keys also expire)
        return 0


class Postgres:
    """A throwaway database of this run's own; only ever drops the one it created."""

    def __init__(self, admin_url):
        self.admin_url = admin_url
        self.name = f"bench_clinic_{os.getpid()}"
        self.created = False

    def _admin(self, sql):
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=3) as conn:
            conn.execute(sql)

    def reachable(self):
        if not self.admin_url:
            return False, "BENCH_POSTGRES_URL is empty"
        try:
            self._admin("SELECT 1")
            return True, ""
        except Exception as exc:  # noqa: BLE001
            return False, f"{type(exc).__name__}: {exc}".strip()

    def create(self):
        self._admin(f'CREATE DATABASE "{self.name}"')
        self.created = True
        base = self.admin_url.rsplit("/", 1)[0]
        return f"{base}/{self.name}"

    def drop(self):
        if self.created:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self.created = False


# Part A ------------------------------------------------------------------------------------


def prepare_pages(env, tmp):
    """Fresh SQLite database, content, static files with a same-size copy of the page."""
    env = {**env, "DATABASE_URL": f"sqlite:///{tmp / 'pages.sqlite3'}"}
    setup = serve.django_task(env, "setup", SLUG)
    serve.django_task(env, "collectstatic")  # the page links hashed names: a manifest first
    copy = tmp / "static_extra" / COPY_NAME
    copy.parent.mkdir(parents=True, exist_ok=True)
    rendered = serve.django_task(env, "render", PAGE_PATH, str(copy))
    if rendered["status"] != 200:
        raise RuntimeError(f"{PAGE_PATH} rendered with status {rendered['status']}")
    serve.django_task(env, "collectstatic")  # now with the copy, hashed and compressed
    manifest = json.loads((tmp / "static_root" / "staticfiles.json").read_text())
    static_path = "/static/" + manifest["paths"][COPY_NAME]
    return env, setup["content"], static_path


def bench_pages(env, tmp, redis_url, results, failures):
    seconds = int(knob("BENCH_SECONDS", "4"))
    rounds = int(knob("BENCH_ROUNDS", "3"))
    connections = [int(c) for c in knob("BENCH_CONNECTIONS", "1,8").split(",")]
    log(heading("A. Condition page vs a static file of the same size"))
    env, content, static_path = prepare_pages(env, tmp)
    log(f"  content: {content}; static copy: {static_path}")
    results["pages"] = {
        "content": content,
        "static_path": static_path,
        "page_path": PAGE_PATH,
        "tool": "wrk" if load.have_wrk() else "python",
        "modes": {},
    }
    log("  in-process cost per request (Django test client, no HTTP) ...")
    results["inprocess"] = serve.django_task(env, "inprocess", PAGE_PATH)["rows"]
    ok, why = redis_reachable(redis_url)
    modes = [("local-memory cache", {"REDIS_URL": ""})]
    if ok:
        modes.append(("Redis cache", {"REDIS_URL": redis_url}))
    else:
        log(f"  Redis not reachable ({why}): Redis run skipped")
        results["pages"]["redis_skipped"] = why
    pristine = tmp / "pages.sqlite3"
    for number, (label, extra) in enumerate(modes):
        log(f"\n  [{label}] gunicorn, 2 sync workers ...")
        # Each mode starts from the same database: the staff edit check of one mode changes
        # the article's "updated" date, which would change the next mode's page.
        database = tmp / f"pages-{number}.sqlite3"
        with sqlite3.connect(pristine) as source, sqlite3.connect(database) as target:
            source.backup(target)
        mode_env = {**env, **extra, "DATABASE_URL": f"sqlite:///{database}"}
        server = serve.Gunicorn(mode_env, tmp, f"pages-{number}")
        server.start(PAGE_PATH, HOST)
        site = Site(server.port, HOST)
        try:
            page = pagebench.check_get(site, PAGE_PATH, "text/html")
            static = pagebench.check_get(site, static_path)
            pagebench.check_get(site, FLOOR_PATH)
            sizes = {"page_bytes": len(page.body), "static_bytes": len(static.body)}
            log(
                f"  page {sizes['page_bytes']:,} bytes, static file "
                f"{sizes['static_bytes']:,} bytes (both uncompressed: wrk asks for no encoding)"
            )
            mode = {"sizes": sizes}
            if "weight" not in results["pages"]:
                results["pages"]["weight"] = pagebench.page_weight(site, PAGE_PATH)
            mode.update(
                pagebench.measure(
                    site,
                    PAGE_PATH,
                    static_path,
                    rounds,
                    seconds,
                    connections,
                    floor_path=FLOOR_PATH if knob("BENCH_FLOOR", "1") == "1" else None,
                    log=log,
                )
            )
            mode["staff_edit"] = pagebench.staff_edit_check(
                site,
                PAGE_PATH,
                lambda verb, text, e=mode_env: serve.django_task(e, verb, SLUG, text),
            )
        finally:
            server.stop()
        mode["log_tracebacks"], mode["log_worker_timeouts"] = server.errors_in_log()
        results["pages"]["modes"][label] = mode
        for conc, row in mode["summary"].items():
            measured = [row[t] for t in ("page", "static", "floor") if t in row]
            bad = sum(r["non_2xx_3xx"] for r in measured)
            if bad:
                failures.append(f"pages [{label}] c={conc}: {bad} responses not 2xx/3xx")
            broken = sum(r["socket_errors"] for r in measured)
            if broken:
                failures.append(f"pages [{label}] c={conc}: {broken} socket errors (wrk)")
        if mode["log_tracebacks"]:
            failures.append(
                f"pages [{label}]: {mode['log_tracebacks']} tracebacks in the log "
                f"({server.log_path})"
            )
        if not mode["staff_edit"]["ok"]:
            failures.append(f"pages [{label}]: a staff edit did not show on the next request")


# Part B ------------------------------------------------------------------------------------


def bench_contact(env, tmp, redis_url, pg_url, results, failures):
    submissions = int(knob("BENCH_SUBMISSIONS", "512"))
    clients = int(knob("BENCH_CLIENTS", "32"))
    double_every = int(knob("BENCH_DOUBLE_EVERY", "8"))
    log(heading(f"B. Contact form: {submissions} submissions from {clients} concurrent clients"))
    results["contact"] = {"runs": {}}
    ok, why = redis_reachable(redis_url)
    cache_env = {"REDIS_URL": redis_url if ok else ""}
    results["contact"]["cache"] = "Redis" if ok else f"local memory ({why})"
    if not (tmp / "static_root" / "staticfiles.json").exists():
        serve.django_task(
            {**env, "DATABASE_URL": f"sqlite:///{tmp / 'static.sqlite3'}"}, "collectstatic"
        )
    run_id = secrets.token_hex(3)
    postgres = Postgres(pg_url)
    databases = [("SQLite", lambda: f"sqlite:///{tmp / 'contact.sqlite3'}")]
    pg_ok, pg_why = postgres.reachable()
    if pg_ok:
        databases.append(("PostgreSQL", postgres.create))
    else:
        log(f"  PostgreSQL not reachable ({pg_why}): PostgreSQL run skipped")
        results["contact"]["postgres_skipped"] = pg_why
    try:
        for label, make_url in databases:
            db_env = {**env, **cache_env, "DATABASE_URL": make_url()}
            log(f"\n  [{label}] migrate, gunicorn with 2 sync workers ...")
            serve.django_task(db_env, "setup", SLUG)
            server = serve.Gunicorn(db_env, tmp, f"contact-{label.lower()}")
            server.start(contactbench.FORM_PATH, HOST)
            try:
                run = contactbench.run(
                    Site(server.port, HOST),
                    run_id,
                    label.lower(),
                    submissions,
                    clients,
                    double_every=double_every,
                    log=log,
                )
            except contactbench.FormShapeError as exc:
                failures.append(f"contact [{label}]: {exc}")
                results["contact"]["runs"][label] = {"error": str(exc)}
                continue
            finally:
                server.stop()  # every request has finished: the database is final
            stored = serve.django_task(db_env, "count-inquiries", run["prefix"])
            run["verify"] = contactbench.verify(stored, run)
            run["log_tracebacks"], run["log_worker_timeouts"] = server.errors_in_log()
            log(
                f"  {run['accepted']}/{run['attempted']} accepted in {run['seconds']:.1f} s: "
                f"{run['submissions_per_s']:.1f} submissions/s, POST p99 "
                f"{run['post_p99_ms']:.0f} ms; stored exactly once: "
                f"{'yes' if run['verify']['exactly_once'] else 'NO'}"
            )
            for marker_list in ("accepted_markers", "all_markers"):
                run.pop(marker_list)
            results["contact"]["runs"][label] = run
            v = run["verify"]
            if run["server_errors"]:
                failures.append(f"contact [{label}]: {run['server_errors']} responses were 5xx")
            if run["accepted"] < run["attempted"]:
                failures.append(
                    f"contact [{label}]: only {run['accepted']} of "
                    f"{run['attempted']} accepted; first errors: {run['errors'][:3]}"
                )
            if v["missing_count"] or v["duplicated_count"] or not v["exactly_once"]:
                failures.append(
                    f"contact [{label}]: {v['missing_count']} lost, "
                    f"{v['duplicated_count']} duplicated, "
                    f"{v['stored_rows']} rows for {v['stored_unique_markers']} markers"
                )
            if run["log_tracebacks"]:
                failures.append(
                    f"contact [{label}]: {run['log_tracebacks']} tracebacks in the "
                    f"log ({server.log_path})"
                )
    finally:
        postgres.drop()


# Report ------------------------------------------------------------------------------------


def print_report(results, failures):
    pages = results.get("pages")
    if pages:
        log(heading("Report A: condition page vs same-size static file (medians of rounds)"))
        log(
            f"  page {pages['page_path']} ({pages['content']}), static {pages['static_path']}, "
            f"load tool: {pages['tool']}"
        )
        rows = []
        for label, mode in pages["modes"].items():
            for conc, row in mode["summary"].items():
                page, static, ratio = row["page"], row["static"], row["ratio_paired_median"]
                rows.append(
                    [
                        label,
                        conc,
                        page["rps"],
                        static["rps"],
                        f"{ratio:.2f} {'ok' if ratio >= AIM_RATIO else 'BELOW'}",
                        row.get("floor_ratio_paired_median"),
                        page["p50_ms"],
                        static["p50_ms"],
                        page["p99_ms"],
                        static["p99_ms"],
                        page["non_2xx_3xx"] + static["non_2xx_3xx"],
                        page["socket_errors"] + static["socket_errors"],
                    ]
                )
        headers = ["cache", "conns", "page req/s", "static req/s", f"ratio (aim {AIM_RATIO})"]
        headers += ["floor ratio"]
        headers += ["page p50 ms", "static p50", "page p99 ms", "static p99"]
        headers += ["non-2xx/3xx", "socket err"]
        log(table(headers, rows))
        log(
            "  ratio = page req/s / static req/s, median of the per-round pairs; "
            "static = same-size file, same server"
        )
        log(
            f"  floor ratio = {FLOOR_PATH} req/s / static req/s: a trivial Django view through "
            "the full middleware stack, the best ratio any Django page can reach here"
        )
        for label, mode in pages["modes"].items():
            e = mode["staff_edit"]
            log(
                f"  staff edit [{label}]: shown on {e['shown_on_next_requests']}/{e['probes']} "
                f"next requests, removal on {e['removed_on_next_requests']}/{e['probes']}"
                f" -> {'ok' if e['ok'] else 'STALE'}"
            )
        w = pages.get("weight")
        if w:
            log(heading("Report A: page weight (Accept-Encoding: br, gzip; bodies as served)"))
            rows = [
                [
                    r["kind"],
                    r["path"],
                    r["status"],
                    r["encoding"],
                    r["wire_bytes"],
                    r["raw_bytes"],
                    r["cache_control"][:40],
                ]
                for r in w["rows"]
            ]
            log(
                table(
                    [
                        "resource",
                        "path",
                        "status",
                        "encoding",
                        "bytes",
                        "uncompressed",
                        "cache-control",
                    ],
                    rows,
                    ["<", "<", ">", "<", ">", ">", "<"],
                )
            )
            html = w["rows"][0]
            log(
                f"  total: {kb(w['wire_bytes'])} in {w['requests']} requests "
                f"(aim <= {kb(AIM_WEIGHT)}: {'ok' if w['wire_bytes'] <= AIM_WEIGHT else 'OVER'};"
                f" <= {AIM_REQUESTS} requests: "
                f"{'ok' if w['requests'] <= AIM_REQUESTS else 'OVER'})"
            )
            if html["encoding"] == "identity":
                log(
                    f"  the HTML is sent uncompressed by Django ({kb(html['raw_bytes'])}); "
                    f"compressed it would be gzip {kb(html['gzip_bytes'])}, brotli "
                    f"{kb(html['br_bytes'])}: total {kb(w['wire_bytes_html_compressed'])} if a "
                    f"proxy compresses HTML"
                )
            if w["offsite"]:
                log(f"  requests to other hosts: {w['offsite']}")
    if results.get("inprocess"):
        log(heading("In-process cost of one request (local-memory cache, SQLite; medians)"))
        rows = [
            [r["what"], r["status"], r["ms"], r.get("best_ms"), r["queries"]]
            for r in results["inprocess"]
        ]
        log(table(["request", "status", "median ms", "best ms", "queries"], rows))
        log("  (no HTTP, no gunicorn: what Django itself spends; the query counts are exact)")
    contact = results.get("contact")
    if contact:
        log(heading("Report B: contact form under concurrent submissions"))
        log(f"  cache for the rate limit: {contact['cache']}")
        rows = []
        for label, run in contact["runs"].items():
            if "error" in run:
                rows.append([label, "ERROR", run["error"][:60], "", "", "", "", "", ""])
                continue
            v = run["verify"]
            rows.append(
                [
                    label,
                    run["clients"],
                    f"{run['accepted']}/{run['attempted']}",
                    run["submissions_per_s"],
                    run["post_p50_ms"],
                    run["post_p99_ms"],
                    run["cycle_p99_ms"],
                    run["server_errors"],
                    f"{'yes' if v['exactly_once'] else 'NO'} ({v['stored_rows']} rows, "
                    f"{v['missing_count']} lost, {v['duplicated_count']} dup"
                    + (
                        f", {v['stored_but_not_accepted_count']} stored but not acknowledged)"
                        if v["stored_but_not_accepted_count"]
                        else ")"
                    ),
                ]
            )
        log(
            table(
                [
                    "database",
                    "clients",
                    "accepted",
                    "subm/s",
                    "POST p50 ms",
                    "POST p99 ms",
                    "cycle p99 ms",
                    "5xx",
                    "stored exactly once",
                ],
                rows,
            )
        )
        log("  (cycle = GET form + POST + GET thank-you page, as one patient experiences it)")
        for label, run in contact["runs"].items():
            if run.get("double_clicks"):
                log(
                    f"  {label}: {run['double_clicks']} double clicks (one form posted twice at "
                    f"once): answers {', '.join(run['double_click_statuses'])}; both led to the "
                    f"same thank-you page in {run['double_clicks_one_page']}"
                )
            statuses = ", ".join(f"{k}: {n}" for k, n in sorted(run.get("statuses", {}).items()))
            log(f"  {label} responses: {statuses}")
        for label in ("PostgreSQL",):
            if label not in contact["runs"] and contact.get("postgres_skipped"):
                log(f"  PostgreSQL: SKIPPED ({contact['postgres_skipped']})")
    log(
        f"\n  load average (1 min) at start {results['load_start']:.1f}, at end "
        f"{results['load_end']:.1f}, on {os.cpu_count()} CPUs: above the CPU count, other work "
        "competed with the benchmark and absolute figures are low; ratios hold up better"
    )
    log(heading("Result"))
    if failures:
        for failure in failures:
            log(f"  FAIL: {failure}")
    else:
        done = []
        if results.get("pages"):
            done.append("no page response other than 2xx/3xx, staff edits shown at once")
        if results.get("contact", {}).get("runs"):
            done.append("no 5xx, every accepted submission stored exactly once")
        log(f"  OK: {'; '.join(done) or 'nothing was run'}")


def main():
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="clinic-bench-"))
    env = base_env(tmp)
    redis_url = knob("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    pg_url = knob("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    only = knob("BENCH_ONLY", "")
    results = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "host": HOST,
        "cpus": os.cpu_count(),
        "load_start": os.getloadavg()[0],
    }
    failures = []

    def on_signal(signum, _frame):
        contactbench.STOP.set()
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        log(
            f"Benchmark: gunicorn (2 sync workers, production settings) on 127.0.0.1; "
            f"temporary files in {tmp}"
        )
        if only in ("", "pages"):
            try:
                bench_pages(env, tmp, redis_url, results, failures)
            except Exception as exc:  # noqa: BLE001 (report it, go on with part B)
                failures.append(f"pages: {type(exc).__name__}: {exc}")
        if only in ("", "contact"):
            try:
                bench_contact(env, tmp, redis_url, pg_url, results, failures)
            except Exception as exc:  # noqa: BLE001
                failures.append(f"contact: {type(exc).__name__}: {exc}")
    finally:
        serve.stop_all()
        removed = redis_cleanup(redis_url, env["DJANGO_CACHE_PREFIX"]) if redis_url else 0
        results["redis_keys_removed"] = removed
        if knob("BENCH_KEEP", "") != "1":
            shutil.rmtree(tmp, ignore_errors=True)
    results["load_end"] = os.getloadavg()[0]
    results["failures"] = failures
    results["seconds"] = time.monotonic() - started
    print_report(results, failures)
    out = BENCH_DIR / "results.json"
    out.write_text(json.dumps(results, indent=2, default=str) + "\n")
    log(f"\n  took {results['seconds']:.0f} s; figures also in {out.relative_to(REPO)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
