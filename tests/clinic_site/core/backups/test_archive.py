"""The backup file: private, complete or absent, checked file by file, pruned by name only."""

import io
import json
import os
import stat
import tarfile
import uuid

import pytest
from django.db import connection

from clinic_site.core.backups import archive
from clinic_site.core.backups.databases import BackupError


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("folder", ["new", "left-open"])
def test_a_backup_is_readable_by_its_owner_only_whatever_the_umask(folder, backup_dir):
    if folder == "left-open":
        backup_dir.mkdir(mode=0o755)
        os.chmod(backup_dir, 0o755)  # noqa: S103 - the permissive folder under test
    previous = os.umask(0)
    try:
        backup = archive.create(backup_dir)
    finally:
        os.umask(previous)

    assert stat.S_IMODE(backup.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(backup_dir.stat().st_mode) == 0o700
    # Nothing else is left behind: no temporary dump, no unfinished file.
    assert list(backup_dir.iterdir()) == [backup.path]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_holds_the_database_every_uploaded_file_and_their_checksums(settings, backup_dir):
    upload = settings.MEDIA_ROOT / "articles" / "2026" / "11" / "diagram.png"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"an uploaded image")

    backup = archive.create(backup_dir)

    with tarfile.open(backup.path, "r:gz") as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    dump = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[connection.vendor]
    assert sorted(names) == sorted([dump, "media/articles/2026/11/diagram.png", "manifest.json"])
    assert sorted(manifest["files"]) == sorted([dump, "media/articles/2026/11/diagram.png"])
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["database"]["tables"] == backup.tables > 0
    assert backup.media_files == 1


def backup_names(*stamps):
    return [f"clinic-backup-{stamp}Z.tar.gz" for stamp in stamps]


@pytest.mark.parametrize(
    ("keep", "kept"),
    [
        (2, backup_names("20261114-080000", "20261115-080000")),
        (
            0,
            backup_names(
                "20261112-080000", "20261113-080000", "20261114-080000", "20261115-080000"
            ),
        ),
    ],
)
def test_prune_keeps_the_newest_backups_and_never_touches_other_files(keep, kept, tmp_path):
    stamps = ["20261113-080000", "20261115-080000", "20261112-080000", "20261114-080000"]
    others = ["notes.txt", "clinic-backup-before-upgrade.tar.gz", "clinic-backup-x.tar.gz.bak"]
    for name in backup_names(*stamps) + others:
        (tmp_path / name).write_bytes(b"x")

    removed = archive.prune(tmp_path, keep)

    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(kept + others)
    assert sorted(path.name for path in removed) == sorted(set(backup_names(*stamps)) - set(kept))


def test_a_file_changed_inside_a_backup_is_refused(tmp_path, write_backup_file):
    backup = write_backup_file(
        tmp_path / "backup.tar.gz",
        {"database.sqlite3": b"a dump", "media/articles/a.png": b"changed bytes"},
        listed={"database.sqlite3": b"a dump", "media/articles/a.png": b"original bytes"},
    )
    into = tmp_path / "unpacked"
    into.mkdir()

    with pytest.raises(BackupError, match=r"media/articles/a.png does not match its checksum"):
        archive.unpack(backup, into)


def test_a_backup_holding_files_its_manifest_does_not_list_is_refused(tmp_path, write_backup_file):
    backup = write_backup_file(
        tmp_path / "backup.tar.gz",
        {"database.sqlite3": b"a dump", "media/extra.png": b"slipped in"},
        listed={"database.sqlite3": b"a dump"},
    )
    into = tmp_path / "unpacked"
    into.mkdir()

    with pytest.raises(BackupError, match="its files do not match its manifest"):
        archive.unpack(backup, into)


def test_a_backup_naming_a_path_outside_its_folder_is_refused_and_writes_nothing_there(
    tmp_path, write_backup_file
):
    escaped = f"escaped-{uuid.uuid4().hex}.txt"
    backup = write_backup_file(
        tmp_path / "backup.tar.gz", {"database.sqlite3": b"a dump", f"../{escaped}": b"x"}
    )
    into = tmp_path / "unpacked"
    into.mkdir()

    with pytest.raises(BackupError, match="is damaged or incomplete"):
        archive.unpack(backup, into)
    assert not (tmp_path / escaped).exists()


def test_a_backup_holding_a_link_is_refused(tmp_path):
    path = tmp_path / "backup.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        link = tarfile.TarInfo("media/looks-like-an-image.png")
        link.type, link.linkname = tarfile.SYMTYPE, "../database.sqlite3"
        tar.addfile(link)
    into = tmp_path / "unpacked"
    into.mkdir()

    with pytest.raises(BackupError, match="is a link or a special file"):
        archive.unpack(path, into)
    assert list(into.rglob("*")) == []


def test_a_file_without_a_manifest_is_not_taken_for_a_backup(tmp_path):
    path = tmp_path / "photos.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo("holiday.jpg")
        info.size = 4
        tar.addfile(info, io.BytesIO(b"jpeg"))
    into = tmp_path / "unpacked"
    into.mkdir()

    with pytest.raises(BackupError, match="is not a backup made by `manage.py backup`"):
        archive.unpack(path, into)
