"""Two gunicorn instances with production settings, one database: an edit made by a third
process shows on the next response of each, though each had the page stored in its memory."""

import socket
import subprocess
import sys
import urllib.request
from functools import partial
from pathlib import Path

import pytest

# Two gunicorn instances of the site as production runs it (tests/conftest.py, production_site).
pytestmark = pytest.mark.process

REPO = Path(__file__).resolve().parents[4]
PAGE = "/conditions/cluneal-nerve-entrapment/"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(port, path=PAGE):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback only
        return response.read().decode()


def answers(port, process):
    assert process.poll() is None, "gunicorn stopped during start-up"
    try:
        fetch(port, "/robots.txt")
    except OSError:
        return False
    return True


@pytest.fixture
def two_instances(production_site, tmp_path, wait_until):
    ports, processes = [free_port(), free_port()], []
    try:
        for n, port in enumerate(ports):
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "clinic_site.wsgi",
                        "--workers",
                        "1",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--control-socket",
                        str(tmp_path / f"gunicorn-{n}.ctl"),
                    ],
                    cwd=REPO,
                    env=production_site,
                    stderr=subprocess.DEVNULL,
                )  # fmt: skip
            )
        for port, process in zip(ports, processes, strict=True):
            wait_until(partial(answers, port, process), timeout=30, what=f"gunicorn on {port}")
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def test_an_edit_from_elsewhere_shows_on_every_instances_next_response(
    two_instances, production_site
):
    for port in two_instances:
        assert "Cluneal nerve entrapment" in fetch(port)
        assert fetch(port) == fetch(port)  # now from each instance's memory
    edit = (
        "from conditions.models import Condition; "
        "Condition.objects.filter(slug='cluneal-nerve-entrapment').update(title='Edited elsewhere')"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", edit],
        cwd=REPO,
        env=production_site,
        check=True,
    )
    for port in two_instances:
        page = fetch(port)
        assert "Edited elsewhere" in page
        assert '<h1 class="app-heading-xl">Cluneal nerve entrapment' not in page
