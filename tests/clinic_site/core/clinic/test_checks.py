"""`check --deploy` refuses a release whose Spanish catalogue is not compiled or is older than its
source (the Spanish pages would quietly fall back to English words and addresses)."""

import os
import time

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from clinic_site.core.clinic.checks import check_catalogues_compiled


@pytest.fixture
def catalogue(tmp_path, settings):
    """An empty locale folder in LOCALE_PATHS; the test writes the Spanish files it needs."""
    settings.LOCALE_PATHS = [tmp_path]
    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    return folder


def write(path, age_seconds=0):
    """A catalogue file, last changed `age_seconds` ago (the check reads only which exist and
    their times)."""
    path.write_bytes(b"# a catalogue file\n")
    when = time.time() - age_seconds
    os.utime(path, (when, when))


def ids():
    return [problem.id for problem in check_catalogues_compiled(None)]


def test_the_catalogue_make_compiled_passes():
    assert ids() == []


def test_a_catalogue_never_compiled_stops_the_deploy(catalogue):
    write(catalogue / "django.po")
    problems = check_catalogues_compiled(None)
    assert [p.id for p in problems] == ["clinic_site.E001"]
    assert problems[0].level == checks.ERROR
    assert "django.mo is missing" in problems[0].msg
    assert "compilemessages --locale es" in problems[0].hint


def test_a_catalogue_compiled_before_its_source_changed_stops_the_deploy(catalogue):
    write(catalogue / "django.mo", age_seconds=3600)
    write(catalogue / "django.po", age_seconds=60)
    assert ids() == ["clinic_site.E002"]


def test_a_catalogue_compiled_after_its_source_passes(catalogue):
    write(catalogue / "django.po", age_seconds=3600)
    write(catalogue / "django.mo", age_seconds=60)
    assert ids() == []


def test_a_release_that_ships_only_the_compiled_catalogue_passes(catalogue):
    write(catalogue / "django.mo")
    assert ids() == []


def test_no_spanish_catalogue_at_all_stops_the_deploy(catalogue):
    assert ids() == ["clinic_site.E001"]


def test_check_deploy_fails_on_it_and_the_plain_check_does_not(catalogue):
    write(catalogue / "django.po")
    call_command("check")  # development: compiled by make when needed
    with pytest.raises(SystemCheckError, match="clinic_site.E001"):
        call_command("check", "--deploy")
