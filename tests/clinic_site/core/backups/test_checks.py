"""The backup checks: never into a served folder; the PostgreSQL tools present in production."""

import pytest
from django.db import connection

from clinic_site.core.backups.checks import check_backup_dir, check_backup_tools


def test_the_default_backup_settings_pass():
    assert check_backup_dir(None) == []


@pytest.mark.parametrize("served", ["MEDIA_ROOT", "STATIC_ROOT"])
def test_backups_inside_a_folder_the_site_serves_are_an_error(served, settings, tmp_path):
    setattr(settings, served, tmp_path / "served")
    settings.BACKUP_DIR = tmp_path / "served" / "backups"

    [error] = check_backup_dir(None)

    assert error.id == "backups.E001"
    assert f"inside {served}" in error.msg


def test_a_negative_backup_keep_is_an_error(settings):
    settings.BACKUP_KEEP = -1

    assert [error.id for error in check_backup_dir(None)] == ["backups.E002"]


def test_the_deploy_check_finds_the_postgresql_client_tools():
    assert check_backup_tools(None) == []


def test_the_deploy_check_warns_on_postgresql_when_pg_dump_is_missing(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no program at all

    warnings = [warning.id for warning in check_backup_tools(None)]

    # SQLite needs no outside program; PostgreSQL needs pg_dump and pg_restore.
    assert warnings == (["backups.W001"] if connection.vendor == "postgresql" else [])
