"""Part A: the condition page against a static file of the same size, on the same server."""

import gzip
import re
import statistics
import time
import uuid

import load
from webclient import AssetParser, Site, path_of

try:
    import brotli
except ImportError:  # the site requires it; only a half-installed venv lacks it
    brotli = None


def decode(body, encoding):
    if encoding == "br" and brotli:
        return brotli.decompress(body)
    if encoding == "gzip":
        return gzip.decompress(body)
    return body


def check_get(site, path, expect_type=None):
    response = site.get(path)
    problems = []
    if response.status != 200:
        problems.append(
            f"{path}: status {response.status} (Location: {response.headers.get('location', '-')})"
        )
    if expect_type and not response.headers.get("content-type", "").startswith(expect_type):
        problems.append(f"{path}: content-type {response.headers.get('content-type')}")
    if problems:
        raise RuntimeError("; ".join(problems))
    return response


def page_weight(site: Site, page_path):
    """Bytes on the wire (bodies, compressed as served) of the page and everything it loads."""
    accept = {"Accept-Encoding": "br, gzip"}
    page = site.get(page_path, headers=accept)
    html = decode(page.body, page.headers.get("content-encoding", "")).decode("utf-8", "replace")
    rows = [
        {
            "kind": "HTML",
            "path": page_path,
            "status": page.status,
            "encoding": page.headers.get("content-encoding", "identity"),
            "wire_bytes": len(page.body),
            "raw_bytes": len(html.encode()),
            "gzip_bytes": len(gzip.compress(html.encode(), 6)),
            "br_bytes": len(brotli.compress(html.encode())) if brotli else None,
            "cache_control": page.headers.get("cache-control", ""),
        }
    ]
    parser = AssetParser()
    parser.feed(html)
    queue = [
        (kind, path_of(url))
        for kind, url in parser.assets
        if not re.match(r"^(data:|https?://(?!127\.0\.0\.1))", url)
    ]
    offsite = [url for _kind, url in parser.assets if re.match(r"^https?://", url)]
    seen = set()
    while queue:
        kind, path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = site.get(path, headers=accept)
        raw = decode(response.body, response.headers.get("content-encoding", ""))
        rows.append(
            {
                "kind": kind,
                "path": path,
                "status": response.status,
                "encoding": response.headers.get("content-encoding", "identity"),
                "wire_bytes": len(response.body),
                "raw_bytes": len(raw),
                "cache_control": response.headers.get("cache-control", ""),
            }
        )
        if response.headers.get("content-type", "").startswith("text/css"):
            # Fonts and images a stylesheet pulls in are requests too.
            for ref in re.findall(
                r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", raw.decode("utf-8", "replace")
            ):
                if not ref.startswith(("data:", "#", "http:", "https:")):
                    base = path.rsplit("/", 1)[0] + "/"
                    target = ref if ref.startswith("/") else base + ref
                    queue.append(("css url()", path_of(target)))
    return {
        "rows": rows,
        "requests": len(rows),
        "wire_bytes": sum(r["wire_bytes"] for r in rows),
        "wire_bytes_html_compressed": sum(r["wire_bytes"] for r in rows[1:])
        + min(b for b in (rows[0]["wire_bytes"], rows[0]["gzip_bytes"], rows[0]["br_bytes"]) if b),
        "offsite": offsite,
    }


def measure(
    site: Site, page_path, static_path, rounds, seconds, concurrencies, floor_path=None, log=print
):
    """Interleaved rounds: page and static back to back (order alternating), per concurrency.

    `floor_path`, when given, is a trivial Django view (robots.txt) measured in the same rounds:
    the fastest any page can be served through the full middleware stack, so floor/static is the
    best ratio a Django page could reach on this server.
    """
    targets = {"page": page_path, "static": static_path}
    if floor_path:
        targets["floor"] = floor_path
    for name, path in targets.items():
        log(f"    warm-up {name} ...")
        load.run(site, path, max(concurrencies), 2)
    runs = []
    for round_no in range(rounds):
        order = ["page", "static"] if round_no % 2 == 0 else ["static", "page"]
        if floor_path:
            order.append("floor")
        for conc in concurrencies:
            for name in order:
                result = load.run(site, targets[name], conc, seconds)
                result.update(round=round_no + 1, target=name, connections=conc)
                runs.append(result)
                log(
                    f"    round {round_no + 1} c={conc:<2} {name:<6} {result['rps']:8.1f} req/s"
                    f"  p50 {result['p50_ms']:7.2f} ms  p99 {result['p99_ms']:7.2f} ms"
                )
    summary = {}
    for conc in concurrencies:
        row = {}
        for name in targets:
            mine = [r for r in runs if r["connections"] == conc and r["target"] == name]
            row[name] = {
                "rps": statistics.median(r["rps"] for r in mine),
                "p50_ms": statistics.median(r["p50_ms"] for r in mine),
                "p99_ms": statistics.median(r["p99_ms"] for r in mine),
                "requests": sum(r["requests"] for r in mine),
                "non_2xx_3xx": sum(r["non_2xx_3xx"] for r in mine),
                "socket_errors": sum(sum(r["socket_errors"].values()) for r in mine),
            }
        paired, floor_paired = [], []
        for round_no in range(1, rounds + 1):
            pair = {
                r["target"]: r["rps"]
                for r in runs
                if r["connections"] == conc and r["round"] == round_no
            }
            paired.append(pair["page"] / pair["static"])
            if floor_path:
                floor_paired.append(pair["floor"] / pair["static"])
        row["ratio_paired_median"] = statistics.median(paired)
        if floor_path:
            row["floor_ratio_paired_median"] = statistics.median(floor_paired)
        row["ratio_of_medians"] = row["page"]["rps"] / row["static"]["rps"]
        row["ratio_per_round"] = paired
        summary[str(conc)] = row
    return {"runs": runs, "summary": summary}


def staff_edit_check(site, page_path, do_edit, probes=4):
    """A staff edit (a separate process saving the model, as the admin does) must show on the
    very next request, on every worker; and so must taking it out again."""
    marker = f"Benchmark staff edit {uuid.uuid4().hex[:10]}"
    for _ in range(probes):
        site.get(page_path)  # make sure the current version is cached everywhere
    do_edit("edit", marker)
    started = time.perf_counter()
    after_edit = [marker in site.get(page_path).text for _ in range(probes)]
    do_edit("unedit", marker)
    after_undo = [marker not in site.get(page_path).text for _ in range(probes)]
    return {
        "shown_on_next_requests": sum(after_edit),
        "removed_on_next_requests": sum(after_undo),
        "probes": probes,
        "ok": all(after_edit) and all(after_undo),
        "seconds": time.perf_counter() - started,
    }
