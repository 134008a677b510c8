"""The full-text document kept in the row, and its index current at every change (PostgreSQL
only). Measured at 1,000 pages that all match (bench/README.md, part E).

- Storage MAIN: a page's tsvector (about 5 KB) stays in its table row instead of TOAST, so
  matching and ranking read it with the row instead of looking it up in another table: 1.5 ms
  instead of 4.7 ms to match and rank 1,024 pages. The rows are rewritten once to move in.
- GIN `fastupdate` off: by default new entries wait in a pending list until (auto)vacuum merges
  them, and while the list is long, after a bulk load or a day of edits, the planner prices the
  index above reading the table and every search reads every tsvector: a rare word took 4.9 ms
  instead of 0.05 ms. Pages change a few times a day and are searched all day: each save pays
  for its index entries at once instead.
"""

from django.db import migrations

FORWARD = [
    "ALTER TABLE search_searchentry ALTER COLUMN document SET STORAGE MAIN",
    "UPDATE search_searchentry SET document = document",  # the trigger writes it anew, inline
    "ALTER INDEX search_entry_document SET (fastupdate = off)",
    "SELECT gin_clean_pending_list('search_entry_document')",
]
BACKWARD = [
    "ALTER INDEX search_entry_document RESET (fastupdate)",
    "ALTER TABLE search_searchentry ALTER COLUMN document SET STORAGE EXTENDED",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0002_vocabulary")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
