"""The backup file: one gzip-compressed tar with the database, every uploaded file and a manifest.

`clinic-backup-20261115-080000Z.tar.gz` (the time in UTC) holds:

- `database.sqlite3` or `database.pgdump`: a snapshot of the database (see databases.py);
- `media/...`: every file in the site's file storage (MEDIA_ROOT), under its stored name;
- `manifest.json`: when and from which engine it was taken, and the SHA-256 of every file.

The file is its owner's alone (0600, in a 0700 folder) whatever the umask: it holds patients'
messages. It appears under its final name only once complete, so a crash never leaves a
half-written file that looks like a backup. Restoring checks every file against the manifest
before it changes anything.
"""

import gzip
import hashlib
import json
import os
import posixpath
import re
import shutil
import tarfile
import tempfile
import time
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from django.core.files import File
from django.core.files.storage import storages
from django.db import connection

from . import databases
from .databases import ENGINE_NAMES, BackupError

FORMAT = 1
NAME_PATTERN = re.compile(r"^clinic-backup-\d{8}-\d{6}Z\.tar\.gz$")
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
CHUNK = 1024 * 1024


@dataclass
class Backup:
    """What one backup holds, as its manifest says."""

    path: Path
    created_at: datetime
    vendor: str
    tables: int
    media_files: int

    @property
    def engine(self):
        return ENGINE_NAMES.get(self.vendor, self.vendor)


def backup_name(moment):
    return f"clinic-backup-{moment:%Y%m%d-%H%M%S}Z.tar.gz"


# Writing --------------------------------------------------------------------------------------


def create(directory):
    """Write a new backup of the database and the file storage into `directory`."""
    dump_name = databases.dump_file_name(connection)
    directory = private_directory(Path(directory))
    created_at = datetime.now(UTC).replace(microsecond=0)
    final = directory / backup_name(created_at)
    if final.exists():
        raise BackupError(f"{final} already exists: backups are named by the second.")
    storage = storages["default"]
    # mkdtemp makes the folder 0700: the dump inside holds patient data too.
    work = Path(tempfile.mkdtemp(prefix=".unfinished-", dir=directory))
    try:
        partial = work / final.name
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.fchmod(descriptor, 0o600)  # the umask can only take bits away; be explicit anyway
        with os.fdopen(descriptor, "wb") as raw:
            checksums = {}
            with tarfile.open(fileobj=raw, mode="w:gz") as tar:
                # Uploaded files first, then the database, then files uploaded meanwhile. An
                # upload is stored before the row that names it is committed, so every file
                # the database snapshot names is in the backup; one deleted meanwhile stays
                # in it as a harmless extra.
                added = _add_media(tar, storage, checksums, already=set())
                databases.dump(connection, work / dump_name)
                _add_file(tar, work / dump_name, dump_name, checksums)
                _add_media(tar, storage, checksums, already=added)
                tables = len(databases.table_names(connection))
                manifest = {
                    "format": FORMAT,
                    "created_at": created_at.isoformat(),
                    "database": {"vendor": connection.vendor, "file": dump_name, "tables": tables},
                    "files": checksums,
                }
                _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
            raw.flush()
            os.fsync(raw.fileno())
        os.rename(partial, final)
        _fsync_directory(directory)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return _describe(final, manifest)


def prune(directory, keep):
    """Delete all but the newest `keep` backups in `directory` (0 keeps every one).

    Only files named like our backups are touched: anything else in the folder stays.
    """
    if keep <= 0:
        return []
    backups = sorted(
        path for path in Path(directory).iterdir() if NAME_PATTERN.match(path.name)
    )  # the names sort by time: fixed-width UTC timestamps
    old = backups[:-keep]
    for path in old:
        path.unlink()
    return old


def private_directory(directory):
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    # mkdir's mode passes through the umask and leaves an existing folder as it was.
    os.chmod(directory, 0o700)
    return directory


def _media_names(storage, path=""):
    """Every file in the storage, through the storage API (object storage works too)."""
    try:
        folders, files = storage.listdir(path)
    except FileNotFoundError:  # MEDIA_ROOT not created yet: nothing was ever uploaded
        return
    for name in sorted(files):
        yield posixpath.join(path, name)
    for folder in sorted(folders):
        yield from _media_names(storage, posixpath.join(path, folder))


def _add_media(tar, storage, checksums, already):
    added = set()
    for name in _media_names(storage):
        if name in already:
            continue
        try:
            with storage.open(name, "rb") as stored:
                # Read whole (uploads are at most a few MB): the size, the checksum and the
                # bytes in the archive all describe the same read.
                data = stored.read()
        except FileNotFoundError:  # deleted since it was listed
            continue
        _add_bytes(tar, f"{MEDIA_DIR}/{name}", data)
        checksums[f"{MEDIA_DIR}/{name}"] = hashlib.sha256(data).hexdigest()
        added.add(name)
    return added


def _add_file(tar, path, arcname, checksums):
    checksums[arcname] = _sha256(path)
    info = tar.gettarinfo(path, arcname)
    info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
    with open(path, "rb") as source:
        tar.addfile(info, source)


def _add_bytes(tar, arcname, data):
    info = tarfile.TarInfo(arcname)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(time.time())
    tar.addfile(info, BytesIO(data))


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_directory(directory):
    """Make the rename itself durable: a power cut must not lose a finished backup."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _describe(path, manifest):
    media = [name for name in manifest["files"] if name.startswith(f"{MEDIA_DIR}/")]
    return Backup(
        path=path,
        created_at=datetime.fromisoformat(manifest["created_at"]),
        vendor=manifest["database"]["vendor"],
        tables=manifest["database"]["tables"],
        media_files=len(media),
    )


# Reading --------------------------------------------------------------------------------------


def unpack(path, into):
    """Extract the backup at `path` into the folder `into` and check every file in it.

    Raises BackupError, with a plain message, for a missing, unreadable, truncated or
    damaged file, or one that is not a backup made by `manage.py backup`.
    """
    path = Path(path)
    if not path.exists():
        raise BackupError(f"There is no file at {path}.")
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    if not os.access(path, os.R_OK):
        raise BackupError(f"{path} cannot be read by this user.")
    damaged = f"{path} is damaged or incomplete"
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            # _files_only: the "data" filter and more (no links at all).
            tar.extractall(into, filter=_files_only)  # noqa: S202
            # Read on to the end: tar stops at anything that looks like its end, and gzip
            # checks its checksum and length only there.
            while tar.fileobj.read(CHUNK):
                pass
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        # gzip's own checksum catches a damaged byte; a cut-off file ends too early.
        raise BackupError(f"{damaged} ({exc}).") from None
    except OSError as exc:
        raise BackupError(f"{path} could not be unpacked into {into}: {exc}.") from None
    try:
        manifest = json.loads((into / MANIFEST).read_text())
        files = manifest["files"]
        database = manifest["database"]
        vendor, dump_name = database["vendor"], database["file"]
        datetime.fromisoformat(manifest["created_at"])
    except (OSError, ValueError, KeyError, TypeError):
        raise BackupError(
            f"{path} is not a backup made by `manage.py backup` (it has no readable manifest)."
        ) from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is in a backup format this version of the site cannot read.")
    present = {item.relative_to(into).as_posix() for item in into.rglob("*") if item.is_file()} - {
        MANIFEST
    }
    if present != set(files) or databases.DUMP_FILES.get(vendor) != dump_name:
        raise BackupError(f"{damaged} (its files do not match its manifest).")
    for name, checksum in sorted(files.items()):
        if _sha256(into / name) != checksum:
            raise BackupError(f"{damaged} ({name} does not match its checksum).")
    return _describe(path, manifest)


def _files_only(member, path):
    """tarfile's "data" filter (nothing outside the folder, no absolute paths, no devices),
    and no links either: a backup holds files and folders only."""
    if not (member.isfile() or member.isdir()):
        raise tarfile.FilterError(f"{member.name} is a link or a special file")
    return tarfile.data_filter(member, path)


def restore(path):
    """Restore the backup at `path` into the empty database and the empty file storage.

    Checks everything first (the file, the engine, that the database and the storage are
    empty), and changes nothing when a check fails. Returns what the backup held.
    """
    storage = storages["default"]
    with tempfile.TemporaryDirectory(prefix="clinic-restore-") as folder:
        folder = Path(folder)
        try:
            backup = _check_before_restoring(path, folder, storage)
        except BackupError as exc:
            raise BackupError(f"{exc} Nothing was changed.") from None
        databases.load(connection, folder / databases.DUMP_FILES[backup.vendor])
        restored_tables = len(databases.table_names(connection))
        if restored_tables != backup.tables:
            raise BackupError(
                f"The database was loaded but has {restored_tables} tables where the backup "
                f"had {backup.tables}. Do not use it; restore into a new, empty database."
            )
        _restore_media(folder / MEDIA_DIR, storage)
    return backup


def _check_before_restoring(path, folder, storage):
    backup = unpack(path, folder)
    if backup.vendor != connection.vendor:
        raise BackupError(
            f"{backup.path.name} holds a {backup.engine} database, but DATABASE_URL points "
            f"at a {ENGINE_NAMES.get(connection.vendor, connection.vendor)} one: restore it "
            f"into a {backup.engine} database."
        )
    databases.check_dump(backup.vendor, folder / databases.DUMP_FILES[backup.vendor])
    tables = databases.table_names(connection)
    if tables:
        raise BackupError(
            f"The {databases.describe(connection)} is not empty (it has {len(tables)} "
            "tables), and restore never overwrites data. Create a new, empty database and "
            "point DATABASE_URL at it (PostgreSQL: createdb; SQLite: a new file name), then "
            "run restore again. Do not run migrate before restoring."
        )
    existing = next(_media_names(storage), None)
    if existing is not None:
        raise BackupError(
            f"The uploaded-files folder (DJANGO_MEDIA_ROOT) is not empty: {existing} is there, "
            "and restore never overwrites files. Move the folder aside, then run restore again."
        )
    return backup


def _restore_media(root, storage):
    for item in sorted(root.rglob("*")) if root.exists() else []:
        if not item.is_file():
            continue
        name = item.relative_to(root).as_posix()
        try:
            with item.open("rb") as source:
                saved = storage.save(name, File(source, name=name))
        except OSError as exc:
            raise BackupError(
                f"The database was restored, but copying the uploaded files stopped at "
                f"{name}: {exc}. Fix that, empty the uploaded-files folder and the database, "
                "and restore again."
            ) from None
        if saved != name:
            raise BackupError(f"The file storage saved {name} as {saved}.")
