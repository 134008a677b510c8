"""whitenoise serves hashed static files with gzip and brotli copies and far-future caching."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.process  # migrate and collectstatic, in a process of their own

BASE_DIR = Path(__file__).resolve().parents[2]
SECRET = "a-long-random-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"

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


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SECRET_KEY=SECRET, DJANGO_ALLOWED_HOSTS="clinic.example")
    env["DATABASE_URL"] = f"sqlite:///{root / 'db.sqlite3'}"
    env["DJANGO_STATIC_ROOT"] = str(root / "staticfiles")
    run = [sys.executable, "manage.py"]
    for args in (["migrate", "--noinput"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([*run, *args], cwd=BASE_DIR, env=env, check=True, timeout=300)
    return env


def test_collectstatic_writes_hashed_gzip_and_brotli_files(collected):
    folder = Path(collected["DJANGO_STATIC_ROOT"]) / "css"
    css = [p for p in folder.glob("main.*.css") if p.suffix == ".css"]
    assert css, "no hashed main.css"
    names = {p.name for p in folder.iterdir()}
    hashed = css[0].name
    assert f"{hashed}.gz" in names
    assert f"{hashed}.br" in names


def test_static_files_are_served_compressed_with_far_future_cache(collected):
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", SERVE_CSS],
        cwd=BASE_DIR,
        env=collected,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("br 200 br max-age=31536000")
    assert lines[1].startswith("gzip 200 gzip max-age=31536000")
    assert "immutable" in lines[0]
