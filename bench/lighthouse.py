"""`make lighthouse`: Lighthouse's mobile scores for the article page, as production serves it.

The site runs under gunicorn with production settings, as `make bench` runs it (bench/run.py),
on a free loopback port over plain http. Lighthouse (npm, bench/package.json) audits the page
LIGHTHOUSE_RUNS times (3) with its mobile defaults (a mid-range phone, a slow 4G network, the
CPU slowed four times) in Chromium (`CHROME_PATH`, default /usr/bin/chromium). It
reports the four category scores, each the median of the runs, and the cumulative layout shift,
with the timings behind the performance score and the audits that cost points. Aim: 100 in each
category and no layout shift at all; exit status 1 when the medians miss it.

Scores on a busy machine are noisy (bench/README.md, "Lighthouse"): run it on an idle one. It is
a benchmark, never a test: `make test` does not run it.

    make lighthouse
    LIGHTHOUSE_RUNS=5 LIGHTHOUSE_PAGES=/,/conditions/cluneal-nerve-entrapment/ make lighthouse
"""

import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import run  # bench/run.py: the production environment, gunicorn and its clean-up

CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-dev-shm-usage"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
# Lighthouse audit ids of the figures reported beside the scores: (label, audit, unit).
METRICS = [
    ("CLS", "cumulative-layout-shift", ""),
    ("FCP", "first-contentful-paint", "ms"),
    ("LCP", "largest-contentful-paint", "ms"),
    ("TBT", "total-blocking-time", "ms"),
    ("SI", "speed-index", "ms"),
]
RUNS = run.knob("LIGHTHOUSE_RUNS", 3)
PAGES = run.knob("LIGHTHOUSE_PAGES", run.PAGE).split(",")


def audit(url, report_path):
    """One Lighthouse run: the category scores (0-100), the metrics, and the audits that cost
    points (score below 1), by id."""
    command = [
        str(run.LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report_path}",
        f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}",
    ]  # fmt: skip
    # Lighthouse now and then loses its own trace of the page load ("NO_NAVSTART") and exits
    # 1: a fault of the tool, not the page. Once more, then the failure stands.
    for attempt in (1, 2):
        done = subprocess.run(
            command, env=os.environ | {"CHROME_PATH": CHROME}, timeout=300, check=attempt == 2
        )
        if done.returncode == 0:
            break
    report = json.loads(Path(report_path).read_text())
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    metrics = {label: report["audits"][name]["numericValue"] for label, name, _unit in METRICS}
    lost = set()
    for category in report["categories"].values():
        for ref in category["auditRefs"]:
            found = report["audits"][ref["id"]]
            if ref["weight"] > 0 and found["score"] is not None and found["score"] < 1:
                lost.add(f"{ref['id']} ({found.get('displayValue') or found['score']})")
    return {"scores": scores, "metrics": metrics, "lost": sorted(lost)}


def measure(port, paths, runs, tmp):
    """Each path audited `runs` times in a row; per path, every run and the medians."""
    results = {}
    for path in paths:
        url = f"http://127.0.0.1:{port}{path}"
        done = []
        for n in range(runs):
            started = time.monotonic()
            done.append(audit(url, tmp / "lighthouse.json"))
            row = done[-1]
            run.log(
                f"  {path} run {n + 1}/{runs} ({time.monotonic() - started:.0f} s): "
                + " ".join(f"{name} {row['scores'][name]}" for name in CATEGORIES)
                + f" CLS {row['metrics']['CLS']:.3f} TBT {row['metrics']['TBT']:.0f} ms"
            )
        results[path] = {
            "runs": done,
            "scores": {n: statistics.median(r["scores"][n] for r in done) for n in CATEGORIES},
            "metrics": {
                label: statistics.median(r["metrics"][label] for r in done)
                for label, _name, _unit in METRICS
            },
            "lost": sorted({name for r in done for name in r["lost"]}),
        }
    return results


@contextlib.contextmanager
def site(tmp):
    """The seeded site under gunicorn with production settings, on plain http (no redirect to
    https, which a browser would follow) at 127.0.0.1; yields its port."""
    env = run.base_env(tmp)
    database = tmp / "site.sqlite3"
    env |= {"DATABASE_URL": f"sqlite:///{database}", "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1"}  # fmt: skip
    run.step(env, "setup", run.PAGE, run.COPY)  # migrate (the seeded articles), collectstatic
    with run.gunicorn(env, tmp, "lighthouse") as (port, _http):
        yield port


def report(results):
    problems = []
    for path, result in results.items():
        scores, metrics = result["scores"], result["metrics"]
        runs = len(result["runs"])
        run.log(f"\nLighthouse, mobile, {path}: median of {runs} run{'s' * (runs > 1)}")
        run.table(CATEGORIES, [[scores[n] for n in CATEGORIES]])
        run.table(
            [f"{label} {unit}".strip() for label, _name, unit in METRICS],
            [[f"{metrics[label]:.3f}" if not unit else f"{metrics[label]:.0f}"
              for label, _name, unit in METRICS]],
        )  # fmt: skip
        if result["lost"]:
            run.log("  audits that cost points in some run: " + ", ".join(result["lost"]))
        problems += [f"{path}: {n} {scores[n]:g} < 100" for n in CATEGORIES if scores[n] < 100]
        if metrics["CLS"] > 0:
            problems.append(f"{path}: layout shift {metrics['CLS']:.3f} (aim: none)")
    load = os.getloadavg()[0]
    run.log(f"\n  load average {load:.1f} on {os.cpu_count()} CPUs (above that, scores are noisy)")
    run.log("\nResult: " + ("below the aim" if problems else "OK: 100 in each, no layout shift"))
    for problem in problems:
        run.log(f"  {problem}")
    return problems


def main():
    if not run.LIGHTHOUSE.exists():
        run.log(f"Lighthouse is missing ({run.LIGHTHOUSE}): `make lighthouse` installs it.")
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="clinic-lighthouse-"))
    try:
        run.log(f"Lighthouse {RUNS}x on {', '.join(PAGES)} (gunicorn, production settings)")
        with site(tmp) as port:
            results = measure(port, PAGES, RUNS, tmp)
    finally:
        for proc in list(run.RUNNING):
            run.stop(proc)
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(tmp, ignore_errors=True)
    return 1 if report(results) else 0


if __name__ == "__main__":
    sys.exit(main())
