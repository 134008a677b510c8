"""conditions/warmup.py, run by clinic_site/wsgi.py as each server process starts: the first
live preview then finds the syllable dictionaries already loaded (bench/editor_input.py
measures the time; here, that the warm-up runs and loads them)."""

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# A new process: imports the WSGI module as gunicorn does, then asks textstat whether the
# English syllable dictionary is already loaded (its cache of loaded dictionaries).
CHECK = """
import os, sys
os.environ.setdefault("DJANGO_DEBUG", "true")
import clinic_site.wsgi  # noqa: F401
from textstat.backend.utils._get_cmudict import get_cmudict
print(get_cmudict.cache_info().currsize)
"""


@pytest.mark.process
def test_a_server_process_loads_the_preview_dictionaries_as_it_starts():
    result = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert int(result.stdout.strip().splitlines()[-1]) >= 1  # English (and Spanish's None)


@pytest.mark.process
def test_without_the_warm_up_a_process_has_not_loaded_them():
    """The check above can fail: a process that does not import the WSGI module has not."""
    check = CHECK.replace("import clinic_site.wsgi  # noqa: F401", "import django; django.setup()")
    check = 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_site.settings")\n' + check
    check = "import os\n" + check
    result = subprocess.run(
        [sys.executable, "-c", check], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "0"
