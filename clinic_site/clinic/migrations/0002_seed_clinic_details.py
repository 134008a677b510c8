"""The clinic's details as the content brief gives them. Address and hours are not given, so
they start empty for staff to fill in. Values are copied here, not imported, so this migration
keeps working whatever the model later becomes."""

from django.db import migrations

DETAILS = {
    "name": "Cutting Edge Pain",
    "phone": "574-404-7246",
    "phone_letters": "574-404-PAIN",
    "fax": "574-333-3200",
    "email": "info@cuttingedgepain.com",
}


def seed(apps, schema_editor):
    ClinicDetails = apps.get_model("clinic_site", "ClinicDetails")
    ClinicDetails.objects.get_or_create(pk=1, defaults=DETAILS)


class Migration(migrations.Migration):
    dependencies = [("clinic_site", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
