"""Fixed-duration load on one URL: wrk when installed, else a threaded Python client.

Both report requests/s, p50 and p99 latency and how many responses were not 2xx/3xx. wrk is
preferred: it is C, so on a 2-core machine it takes far less CPU from the server than a Python
client would, and its latency histogram is exact (it also corrects for coordinated omission).
"""

import os
import re
import shutil
import subprocess
import threading
import time

from webclient import Site

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def have_wrk():
    """wrk is used when installed, unless BENCH_LOAD_TOOL=python asks for the Python client."""
    return os.environ.get("BENCH_LOAD_TOOL", "wrk") != "python" and shutil.which("wrk") is not None


def _ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"unreadable wrk latency {text!r}")
    return float(match.group(1)) * UNITS[match.group(2)]


def parse_wrk(output):
    result = {"tool": "wrk"}
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    result["p50_ms"] = _ms(latency["50"])
    result["p99_ms"] = _ms(latency["99"])
    result["rps"] = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    result["requests"] = int(re.search(r"(\d+) requests in", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    result["non_2xx_3xx"] = int(bad.group(1)) if bad else 0
    sock = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    result["socket_errors"] = (
        dict(zip(("connect", "read", "write", "timeout"), map(int, sock.groups()), strict=True))
        if sock
        else {}
    )
    return result


def run_wrk(site: Site, path, connections, seconds):
    cmd = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "10s",
        "-H",
        f"Host: {site.host_header}",
        "-H",
        f"X-Forwarded-Proto: {site.scheme}",
        f"http://127.0.0.1:{site.port}{path}",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    if proc.returncode != 0:
        raise RuntimeError(f"wrk failed: {proc.stderr or proc.stdout}")
    return parse_wrk(proc.stdout)


def percentile(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def run_python(site: Site, path, connections, seconds):
    latencies = []
    bad = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker():
        mine, mine_bad = [], 0
        while time.perf_counter() < deadline:
            response = site.get(path, timeout=10)
            mine.append(response.seconds * 1000)
            if not 200 <= response.status < 400:
                mine_bad += 1
        with lock:
            latencies.extend(mine)
            bad[0] += mine_bad

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {
        "tool": "python",
        "rps": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 50),
        "p99_ms": percentile(latencies, 99),
        "requests": len(latencies),
        "non_2xx_3xx": bad[0],
        "socket_errors": {},
    }


def run(site, path, connections, seconds):
    if have_wrk():
        return run_wrk(site, path, connections, seconds)
    return run_python(site, path, connections, seconds)
