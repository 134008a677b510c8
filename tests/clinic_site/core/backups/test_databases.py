"""The database dump is a snapshot of one moment, even while the site keeps writing."""

import threading

import pytest

# A stand-in for patients sending the form: each transaction stores an inquiry (with its
# "created" history row) and moves it on to "in progress" (a second history row), then
# prints its reference once committed.
WRITER = """
import itertools
from django.db import transaction
from contact.models import Inquiry
from contact.services import submit_inquiry

for n in itertools.count():
    with transaction.atomic():
        inquiry = submit_inquiry(
            submission_key=f"live-{n}", name=f"Writer {n}", email=f"writer{n}@example.com",
            preferred_contact="email", reason="other", message="Sent during a backup.",
            consent=True,
        )
        inquiry.status = Inquiry.Status.IN_PROGRESS
        inquiry.save()
    print(inquiry.reference, flush=True)
"""
WRITES_BEFORE_BACKUP = 20
WAIT_SECONDS = 120


@pytest.mark.django_db
def test_a_backup_taken_while_inquiries_are_written_holds_them_as_of_one_moment(
    tmp_path, scratch_database, open_database, manage, manage_process, wait_until
):
    media = tmp_path / "media"
    live = scratch_database("live")
    migrated = manage("migrate", "--noinput", database_url=live.url, media_root=media)
    assert migrated.returncode == 0, migrated.stderr
    writer = manage_process(
        "shell", "--no-imports", "-c", WRITER, database_url=live.url, media_root=media
    )
    written = []
    reader = threading.Thread(target=lambda: written.extend(line.strip() for line in writer.stdout))
    reader.start()

    def writing():
        assert writer.poll() is None, writer.stderr.read()
        return len(written) >= WRITES_BEFORE_BACKUP

    wait_until(writing, timeout=WAIT_SECONDS, what="the writer to get going")

    written_before = len(written)
    backed_up = manage("backup", database_url=live.url, media_root=media)
    written_after = len(written)
    writer.kill()
    reader.join()

    assert backed_up.returncode == 0, backed_up.stderr
    assert written_after > written_before, "no inquiry was written during the backup"
    [backup] = (tmp_path / "backups").glob("clinic-backup-*.tar.gz")
    restored = scratch_database("restored")
    result = manage("restore", str(backup), database_url=restored.url, media_root=media)
    assert result.returncode == 0, result.stderr
    with open_database(restored.settings_dict).cursor() as cursor:
        cursor.execute("SELECT id, reference, status FROM contact_inquiry ORDER BY id")
        inquiries = cursor.fetchall()
        cursor.execute("SELECT id, history_type FROM contact_historicalinquiry")
        history = cursor.fetchall()
    # What the writer committed, in order: what it printed, and perhaps one more it committed
    # but was killed before printing. The live database says.
    with open_database(live.settings_dict).cursor() as cursor:
        cursor.execute("SELECT reference FROM contact_inquiry ORDER BY id")
        committed = [reference for (reference,) in cursor.fetchall()]
    assert committed[: len(written)] == written
    # Exactly the first N inquiries the writer committed, for some N no smaller than the
    # count before the backup began: the state of the database at one moment.
    references = [reference for _id, reference, _status in inquiries]
    assert len(references) >= written_before
    assert references == committed[: len(references)]
    # And every one whole: both of its history rows, its last status, nothing half written.
    assert {status for _id, _reference, status in inquiries} == {"in_progress"}
    assert sorted(history) == sorted(
        (id_, kind) for id_, _reference, _status in inquiries for kind in ("+", "~")
    )
