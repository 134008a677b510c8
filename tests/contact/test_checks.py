"""A mistyped contact setting is reported by `manage.py check`, before any patient meets it; and
`check --deploy` warns when production would not send staff email in the background."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from contact.checks import check_contact_settings, check_tasks_run_in_the_background

MANAGE_PY = Path(__file__).resolve().parents[2] / "manage.py"


def error_ids():
    return [error.id for error in check_contact_settings(None)]


def test_the_default_settings_pass():
    assert error_ids() == []


@pytest.mark.parametrize(
    ("name", "value", "error_id"),
    [
        ("CONTACT_RATE_LIMIT", "lots", "contact.E001"),
        ("CONTACT_RECIPIENTS", [], "contact.E002"),
        ("CONTACT_RECIPIENTS", ["front desk"], "contact.E003"),
        ("CONTACT_MIN_SECONDS", 100000, "contact.E004"),
        ("CONTACT_EMAIL_RETRY_SECONDS", 99, "contact.E005"),
        ("EMAIL_TIMEOUT", None, "contact.E005"),
    ],
)
def test_a_bad_setting_is_reported(settings, name, value, error_id):
    setattr(settings, name, value)
    assert error_ids() == [error_id]


def test_the_retry_period_may_be_short_when_the_mail_timeout_is_shorter(settings):
    settings.EMAIL_TIMEOUT, settings.CONTACT_EMAIL_RETRY_SECONDS = 0.5, 5
    assert error_ids() == []


@pytest.mark.parametrize(
    ("backend", "warning_id"),
    [
        ("django_tasks.backends.immediate.ImmediateBackend", "contact.W001"),
        ("django_tasks.backends.dummy.DummyBackend", "contact.W002"),
    ],
)
def test_the_deploy_check_warns_when_tasks_would_not_run_in_the_worker(
    settings, backend, warning_id
):
    settings.DEBUG = False
    settings.TASKS = {"default": {"BACKEND": backend}}
    assert [w.id for w in check_tasks_run_in_the_background(None)] == [warning_id]
    settings.DEBUG = True  # development may run tasks at once
    assert check_tasks_run_in_the_background(None) == []


def test_the_deploy_check_accepts_the_database_queue(settings):
    settings.DEBUG = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert check_tasks_run_in_the_background(None) == []


@pytest.mark.process
def test_check_deploy_with_production_settings_and_the_immediate_backend_warns():
    """What `make checks` runs, with the one setting wrong: the command itself reports it."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "deploy-check-test-key-not-secret-0123456789abcdefghijklmnopqrstuv",
        "DJANGO_ALLOWED_HOSTS": "clinic.example",
        "DJANGO_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
    }
    result = subprocess.run(
        [sys.executable, str(MANAGE_PY), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "contact.W001" in result.stderr and "immediate backend" in result.stderr


def test_the_checks_run_without_the_deploy_flag_ignore_the_task_backend(settings):
    settings.DEBUG = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    out = io.StringIO()
    call_command("check", stdout=out)
    assert "contact.W001" not in out.getvalue()
