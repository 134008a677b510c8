"""The two staff roles for articles, as groups with model permissions.

Editors write and save drafts (and fix their sources and images); they cannot publish, sign off
a medical review, or see patients' contact inquiries. Medical reviewers can do all of that plus
publish and sign off reviews: the publish_* permissions. Staff are put in a group in the admin
("Users"); no accounts are created here.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ARTICLES = ("condition", "treatment", "guide")
ATTACHMENTS = ("reference", "articleimage")

EDITOR_CODENAMES = [
    *(f"{action}_{model}" for model in ARTICLES for action in ("add", "change", "view")),
    # Removing a wrong source or image from a draft is part of writing it.
    *(f"{action}_{model}" for model in ATTACHMENTS for action in ("add", "change", "delete", "view")),
]
REVIEWER_CODENAMES = [*EDITOR_CODENAMES, *(f"publish_{model}" for model in ARTICLES)]

GROUPS = {"Editors": EDITOR_CODENAMES, "Medical reviewers": REVIEWER_CODENAMES}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations run (post_migrate); make sure the
    # ones named here exist now, on a fresh database too.
    # The historical app config is a stub without `models_module`, which create_permissions
    # takes as "this app has no models": flag it for the call (the usual idiom).
    app_config = apps.get_app_config("conditions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        permissions = list(
            Permission.objects.filter(content_type__app_label="conditions", codename__in=codenames)
        )
        missing = set(codenames) - {p.codename for p in permissions}
        if missing:
            raise RuntimeError(f"Permissions not found for {name}: {sorted(missing)}")
        group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("conditions", "0003_references_and_images"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
