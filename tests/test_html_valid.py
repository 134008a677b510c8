"""Every public page is valid HTML, as the Nu Html Checker (vnu-jar, from npm) sees it.

The pages are rendered with Django's test client and checked in one run of the checker: the
JVM takes seconds to start, so one run for all pages keeps this test quick. A missing Java or
jar fails the test (CI must run it), it is never skipped.
"""

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import RequestFactory
from django.utils import translation

from clinic_site.sitewide.pages.errors import server_error, service_unavailable
from conditions.models import Condition, Guide, Treatment
from tests.spanish import spanish_pages, spanish_rows

VNU_JAR = Path(__file__).resolve().parent.parent / "node_modules/vnu-jar/build/dist/vnu.jar"
CLUNEAL = "/conditions/cluneal-nerve-entrapment/"
# Checked with the pages: if the checker ever stops reporting (wrong flags, a new output format),
# this file's known error goes missing and the test fails instead of passing on nothing.
CANARY = '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><p>x</span></body>'

pytestmark = [pytest.mark.django_db, pytest.mark.process]  # the checker runs on Java


def public_pages():
    """(name, URL, expected status) of every public page, from the seeded content."""
    pages = [
        ("home", "/", 200),
        ("conditions", "/conditions/", 200),
        ("conditions by area", "/conditions/?area=low-back", 200),
        ("treatments", "/treatments/", 200),
        ("urgent help", "/urgent-help/", 200),
        ("contact", "/contact/", 200),
        ("contact, from a condition's page", "/contact/?condition=cluneal-nerve-entrapment", 200),
        ("search", "/search/", 200),
        ("search results", "/search/?q=buttock+pain", 200),
        ("search, nothing found", "/search/?q=clunial", 200),
        ("not found", "/conditions/no-such-condition/", 404),
    ]
    for model in (Condition, Treatment, Guide):
        articles = model.objects.published().in_language("en")
        pages += [(a.slug, a.get_absolute_url(), 200) for a in articles]
    return pages


def run_vnu(files):
    """The checker's error messages for the files, as dicts (url, message, lastLine, extract)."""
    java = shutil.which("java")
    assert java, "Java is needed to run the Nu Html Checker (install a JRE, e.g. Java 17)."
    assert VNU_JAR.is_file(), f"The Nu Html Checker is missing ({VNU_JAR}): run `npm ci`."
    # One short run: the JVM's quick compiler alone (its optimizing one spent seconds of CPU on
    # code that runs once) and one GC thread; the quick compiler's deeper frames need a bigger
    # stack for the checker's schema (a StackOverflowError at the default 1 MB).
    quick = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss4m"]
    result = subprocess.run(
        [java, *quick, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # vnu writes its report to stderr, exits 1 when it found errors.
    try:
        report = json.loads(result.stderr)
    except json.JSONDecodeError:
        pytest.fail(f"The checker did not report (exit {result.returncode}):\n{result.stderr}")
    return [m for m in report["messages"] if m["type"] in ("error", "non-document-error")]


def test_every_public_page_is_valid_html(client, tmp_path):
    pages = public_pages()
    assert CLUNEAL in [url for _name, url, _status in pages], "The seeded article is missing."

    files = {}  # file name: (page name, URL)
    for index, (name, url, status) in enumerate(pages):
        response = client.get(url)
        assert response.status_code == status, url
        (tmp_path / f"{index:02d}.html").write_bytes(response.content)
        files[f"{index:02d}.html"] = (name, url)
    # The 500 and 503 pages render without a request's context: check them too.
    (tmp_path / "500.html").write_bytes(server_error(RequestFactory().get("/")).content)
    files["500.html"] = ("server error", "(500 page)")
    (tmp_path / "503.html").write_bytes(service_unavailable(RequestFactory().get("/")).content)
    files["503.html"] = ("database unreachable", "(503 page)")
    (tmp_path / "canary.html").write_text(CANARY, encoding="utf-8")

    errors = run_vnu(sorted(tmp_path.glob("*.html")))

    by_file = {}
    for error in errors:
        by_file.setdefault(Path(urlsplit(error.get("url", "")).path).name, []).append(error)
    canary = by_file.pop("canary.html", [])
    assert any("span" in e["message"] for e in canary), f"The checker missed the canary: {errors}"
    lines = []
    for file_name, file_errors in sorted(by_file.items()):
        name, url = files.get(file_name, ("?", file_name))
        for error in file_errors:
            lines.append(f"{url} ({name}) line {error.get('lastLine', '?')}: {error['message']}")
            if error.get("extract"):
                lines.append(f"    {error['extract'].strip()[:200]}")
    assert not lines, f"{len(lines)} HTML error(s):\n" + "\n".join(lines)


def test_every_spanish_page_is_valid_html(client, tmp_path):
    """The Spanish pages (fixed pages, every published Spanish article with a few made here,
    the thank-you page, a 404 and the 500), in one run of the checker with the canary."""
    spanish_rows()
    files = {}
    for index, (url, status) in enumerate(spanish_pages()):
        response = client.get(url)
        assert response.status_code == status, url
        (tmp_path / f"{index:02d}.html").write_bytes(response.content)
        files[f"{index:02d}.html"] = url
    with translation.override("es"):
        (tmp_path / "500.html").write_bytes(server_error(RequestFactory().get("/es/")).content)
    files["500.html"] = "(500 page)"
    assert b'lang="es"' in (tmp_path / "500.html").read_bytes()
    (tmp_path / "canary.html").write_text(CANARY, encoding="utf-8")

    errors = run_vnu(sorted(tmp_path.glob("*.html")))

    lines = []
    canary = []
    for error in errors:
        name = Path(urlsplit(error.get("url", "")).path).name
        if name == "canary.html":
            canary.append(error)
        else:
            lines.append(
                f"{files.get(name, name)} line {error.get('lastLine')}: {error['message']}"
            )
    assert any("span" in e["message"] for e in canary), f"The checker missed the canary: {errors}"
    assert not lines, f"{len(lines)} HTML error(s):\n" + "\n".join(lines)
