"""The "Front desk" staff role: read and work patient inquiries, nothing else.

View and change inquiries (status, who handles it, staff notes), no add (inquiries only come
from the website) and no delete (closed ones are purged by `purge_inquiries` after the retention
period, so the history stays whole until then). No permission on articles. Staff are put in the
group in the admin ("Users"); no accounts are created here.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Front desk"
CODENAMES = ["view_inquiry", "change_inquiry", "view_historicalinquiry"]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations have run (post_migrate): create
    # this app's now, on a fresh database too. The historical app config has no
    # `models_module`, which create_permissions reads as "no models": flag it for the call.
    app_config = apps.get_app_config("contact")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    permissions = list(
        Permission.objects.filter(content_type__app_label="contact", codename__in=CODENAMES)
    )
    missing = set(CODENAMES) - {p.codename for p in permissions}
    if missing:
        raise RuntimeError(f"Permissions not found for {GROUP}: {sorted(missing)}")
    group.permissions.add(*permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contact", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_group, remove_group)]
