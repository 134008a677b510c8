"""The editor input that took the old renderer and word diff longest (bench/editor_input.py
measures them all), and a way to run one piece of work on it in a process of its own, so a test
can give up on it after a time without being held itself."""

import os
import subprocess
import sys
from pathlib import Path

from conditions.models import SECTION_MAX_LENGTH

BASE_DIR = Path(__file__).resolve().parents[2]
# Minutes of work before the change, seconds after: the bound catches a return of the minutes,
# with room for a machine busy with other test processes (Django alone can take 10 s to start).
TIMEOUT = 60


def fill(unit, length=SECTION_MAX_LENGTH):
    return (unit * (length // len(unit) + 1))[:length]


# Each as long as a section may be.
MARKDOWN = {
    "brackets": "[" * SECTION_MAX_LENGTH,  # 4,000 took 3.9 s; 20,000 held a worker 30 s
    "image brackets": fill("!["),
    "nested emphasis": fill("*a"),
    "underscores": fill("_a"),
    "list items": fill("- a\n"),
    "emphasised hard words": fill("*utilize* "),
}
# (live version, draft): the word diff of repeated words took 6 to 25 s per section.
DIFFS = {
    "repeated words vs alternating": (fill("pain "), fill("pain x ")),
    "repeated words, one added": (
        fill("pain "),
        fill("pain ", 10000) + "nerve " + fill("pain ", 9994),
    ),
}


def finishes(code, timeout=TIMEOUT):
    """Runs Python `code` with Django set up (no database); fails the test if it has not
    finished within `timeout` seconds, or failed. Returns what it printed."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "clinic_site.settings", "DJANGO_DEBUG": "true"}
    prelude = "import django; django.setup()\n"
    try:
        done = subprocess.run(
            [sys.executable, "-c", prelude + code],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        raise AssertionError(f"still running after {timeout} s") from None
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout
