"""`manage.py backup` and `restore`: the restore drill, and restores that must change nothing."""

import io
import shutil
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from PIL import Image

from conditions.models import ArticleImage
from contact.models import Inquiry
from contact.services import submit_inquiry
from tests.factories import ConditionFactory


def png_upload(name="diagram.png", width=700, height=300):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def inquiry_args(key, **overrides):
    return {
        "submission_key": key,
        "name": "Pat Example",
        "email": "pat@example.com",
        "phone": "+15745550123",
        "preferred_contact": Inquiry.PreferredContact.EMAIL,
        "reason": Inquiry.Reason.CONDITION,
        "message": "Is my low back pain from a trapped nerve?",
        "consent": True,
        **overrides,
    }


def take_backup(backup_dir):
    out = io.StringIO()
    call_command("backup", stdout=out)
    [backup] = sorted(backup_dir.glob("clinic-backup-*.tar.gz"))
    return backup, out.getvalue()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_restore_drill_brings_back_every_row_and_every_uploaded_file(
    settings, backup_dir, scratch_database, open_database, manage, every_row, files_under
):
    # What the clinic would miss: inquiries with their history, an edited article with its
    # history, and an uploaded image with its smaller copies.
    staff = get_user_model().objects.create_user("frontdesk", password="a-long-test-password")
    first = submit_inquiry(**inquiry_args("drill-1"))
    first.status = Inquiry.Status.IN_PROGRESS
    first.handled_by = staff
    first.save()
    first.notes.create(author=staff, text="Called back; booked a first visit.")
    submit_inquiry(**inquiry_args("drill-2", email="", name="Sam Example"))
    article = ConditionFactory(title="Cluneal nerve entrapment")
    article.summary = "Edited: a trapped nerve near the top of the buttock."
    article.save()
    image = ArticleImage(
        article=article, section="overview", alt="Where the cluneal nerves run", image=png_upload()
    )
    image.save()

    rows = every_row(connection)
    uploads = files_under(settings.MEDIA_ROOT)
    assert len(rows["contact_historicalinquiry"]) == 3
    assert len(rows["contact_inquirynote"]) == 1
    assert len(rows["conditions_historicalcondition"]) >= 2
    assert image.image.name in uploads and len(uploads) == 1 + len(image.renditions) > 1

    backup, said = take_backup(backup_dir)
    assert f"Wrote {backup}" in said
    assert f"{len(uploads)} uploaded file(s)" in said

    # The disk is lost: the uploaded files are gone, and the site gets a new, empty database.
    shutil.rmtree(settings.MEDIA_ROOT)
    target = scratch_database("restored")
    restored = manage(
        "restore", str(backup), database_url=target.url, media_root=settings.MEDIA_ROOT
    )

    assert restored.returncode == 0, restored.stderr
    assert f"Database: {len(rows) - 1} tables" in restored.stdout
    assert f"Uploaded files: {len(uploads)} into {settings.MEDIA_ROOT}" in restored.stdout
    assert every_row(open_database(target.settings_dict)) == rows
    assert files_under(settings.MEDIA_ROOT) == uploads


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_refuses_a_database_that_is_not_empty_and_changes_nothing(
    settings, backup_dir, every_row, files_under
):
    backup, _said = take_backup(backup_dir)
    (settings.MEDIA_ROOT / "articles").mkdir(parents=True)
    (settings.MEDIA_ROOT / "articles" / "kept.png").write_bytes(b"not touched")
    rows, uploads = every_row(connection), files_under(settings.MEDIA_ROOT)

    with pytest.raises(CommandError, match="is not empty .* restore never overwrites data"):
        call_command("restore", str(backup))

    assert every_row(connection) == rows
    assert files_under(settings.MEDIA_ROOT) == uploads


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_refuses_an_uploaded_files_folder_that_is_not_empty_and_changes_nothing(
    settings, backup_dir, scratch_database, open_database, manage, files_under
):
    backup, _said = take_backup(backup_dir)
    media = settings.MEDIA_ROOT
    (media / "articles").mkdir(parents=True)
    (media / "articles" / "kept.png").write_bytes(b"not touched")
    target = scratch_database("restored")

    restored = manage("restore", str(backup), database_url=target.url, media_root=media)

    assert restored.returncode == 1
    assert "DJANGO_MEDIA_ROOT) is not empty: articles/kept.png is there" in restored.stderr
    assert "Nothing was changed." in restored.stderr
    assert open_database(target.settings_dict).introspection.table_names() == []
    assert files_under(media) == {"articles/kept.png": b"not touched"}


def truncated(data):
    return data[: len(data) // 2]


def one_byte_changed(data):
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]


def plain_text(data):
    return b"These are my notes, not a backup.\n"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (None, "There is no file at"),
        (truncated, "is damaged or incomplete (Compressed file ended before"),
        (one_byte_changed, "is damaged or incomplete ("),
        (plain_text, "is damaged or incomplete (not a gzip file)"),
    ],
    ids=["missing", "truncated", "corrupt", "not-a-backup"],
)
def test_a_missing_or_damaged_backup_is_refused_plainly_and_changes_nothing(
    spoil, message, settings, backup_dir, scratch_database, open_database, manage, files_under
):
    good, _said = take_backup(backup_dir)
    bad = backup_dir / "spoiled.tar.gz"
    if spoil is not None:
        bad.write_bytes(spoil(good.read_bytes()))
    media = settings.MEDIA_ROOT
    target = scratch_database("restored")

    restored = manage("restore", str(bad), database_url=target.url, media_root=media)

    assert restored.returncode == 1
    assert message in restored.stderr
    assert restored.stderr.rstrip().endswith("Nothing was changed.")
    assert "Traceback" not in restored.stderr
    assert open_database(target.settings_dict).introspection.table_names() == []
    assert files_under(media) == {}


@pytest.mark.django_db
def test_restore_refuses_a_backup_of_the_other_database_engine(
    tmp_path, write_backup_file, every_row
):
    other = {"sqlite": "postgresql", "postgresql": "sqlite"}[connection.vendor]
    dump_name = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[other]
    backup = write_backup_file(
        tmp_path / "clinic-backup-20261115-080000Z.tar.gz", {dump_name: b"a dump"}, vendor=other
    )
    rows = every_row(connection)

    with pytest.raises(CommandError, match="but DATABASE_URL points at a") as raised:
        call_command("restore", str(backup))

    assert str(raised.value).endswith("Nothing was changed.")
    assert every_row(connection) == rows


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_says_what_it_wrote_and_deletes_what_is_beyond_backup_keep(
    settings, backup_dir, time_machine
):
    settings.BACKUP_KEEP = 2
    said = []
    for hour in (1, 2, 3):
        time_machine.move_to(datetime(2026, 11, 15, hour, tzinfo=UTC), tick=False)
        out = io.StringIO()
        call_command("backup", stdout=out)
        said.append(out.getvalue())

    assert sorted(path.name for path in backup_dir.iterdir()) == [
        "clinic-backup-20261115-020000Z.tar.gz",
        "clinic-backup-20261115-030000Z.tar.gz",
    ]
    engine = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[connection.vendor]
    assert f"Wrote {backup_dir / 'clinic-backup-20261115-010000Z.tar.gz'} (" in said[0]
    assert f"the {engine} database (" in said[0]
    assert "Deleted" not in said[1]
    assert (
        "Deleted 1 older backup(s), keeping the newest 2: clinic-backup-20261115-010000Z.tar.gz."
        in said[2]
    )
