"""whitenoise serves hashed static files with gzip and brotli copies and far-future caching."""

import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

SERVE_CSS = """
import re
from django.test import Client
client = Client(HTTP_HOST="clinic.example", HTTP_X_FORWARDED_PROTO="https")
html = client.get("/urgent-help/").content.decode()
css = re.search(r'href="(/static/css/main\\.[0-9a-f]{12}\\.css)"', html).group(1)
for encoding in ("br", "gzip"):
    r = client.get(css, HTTP_ACCEPT_ENCODING=encoding)
    print(encoding, r.status_code, r.get("Content-Encoding"), r["Cache-Control"])
"""


def test_collectstatic_writes_hashed_gzip_and_brotli_files(production_site):
    folder = Path(production_site["DJANGO_STATIC_ROOT"]) / "css"
    css = [p for p in folder.glob("main.*.css") if p.suffix == ".css"]
    assert css, "no hashed main.css"
    names = {p.name for p in folder.iterdir()}
    hashed = css[0].name
    assert f"{hashed}.gz" in names
    assert f"{hashed}.br" in names


def test_static_files_are_served_compressed_with_far_future_cache(production_site):
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", SERVE_CSS],
        cwd=BASE_DIR,
        env=production_site,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("br 200 br max-age=31536000")
    assert lines[1].startswith("gzip 200 gzip max-age=31536000")
    assert "immutable" in lines[0]
