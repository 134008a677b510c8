"""The clinic's launch articles (placeholder: the content is being written)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("conditions", "0001_initial")]
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
