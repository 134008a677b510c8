"""Backups of the database and the uploaded files, and restoring them (see README, Backups).

Why not django-dbbackup (weighed in December 2026): it runs the same native tools (pg_dump, and
SQLite's online backup since its 5.0) and adds storages, GPG and cleanup, but it keeps the
database (`dbbackup`) and the uploaded files (`mediabackup`) in two archives restored by two
commands. A restore must bring back inquiries, articles and the images those articles point at
as of one moment, checked before anything is overwritten; here that is one archive with a
manifest of SHA-256 sums (archive.py), refused whole if any file is damaged, owner-only
permissions whatever the umask, and a restore drill in the tests that loses the disk and gets
every row and file back. With dbbackup those would be ours to add around it: about as much code
as this package (some 500 lines) for a second way of doing the same.
"""
