"""The staff roles, as groups with model permissions (the only rows a migration makes).

Editors write and save drafts of articles and the urgent advice, fix their sources and images,
and keep the writing help's plainer words and search synonyms. Medical reviewers can do all of
that, plus publish and sign off reviews (the publish_* permissions). Front desk works patient
inquiries and nothing else: view and change (status, who handles it, notes), no add (inquiries
only come from the website), no delete (closed ones are purged after the retention period).
Staff are put in a group in the admin ("Users"); no accounts are made here. The codenames are
written out rather than imported, so this migration never depends on today's code.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WRITE = ("add", "change", "view")
KEEP = ("add", "change", "delete", "view")
ARTICLES = ("condition", "treatment", "guide", "urgentadvice")

EDITORS = {
    "conditions": [
        *(f"{action}_{model}" for model in ARTICLES for action in WRITE),
        *(f"{action}_{model}" for model in ("reference", "articleimage") for action in KEEP),
        *(f"{action}_plainerword" for action in KEEP),
    ],
    "search": [f"{action}_synonym" for action in KEEP],
}
REVIEWERS = {
    "conditions": [*EDITORS["conditions"], *(f"publish_{model}" for model in ARTICLES)],
    "search": EDITORS["search"],
}
FRONT_DESK = {"contact": ["view_inquiry", "change_inquiry", "view_historicalinquiry"]}

GROUPS = {"Editors": EDITORS, "Medical reviewers": REVIEWERS, "Front desk": FRONT_DESK}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations run (post_migrate): make the ones
    # named here now, on a fresh database too. The historical app config is a stub without
    # `models_module`, which create_permissions takes as "no models": flag it for the call.
    for label in ("conditions", "search", "contact"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, by_app in GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        for app_label, codenames in by_app.items():
            permissions = list(
                Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )
            missing = set(codenames) - {p.codename for p in permissions}
            if missing:
                raise RuntimeError(f"Permissions not found for {name}: {sorted(missing)}")
            group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


# The body areas "Where does it hurt?" offers: a fixed list (conditions.models.BodyArea.Code,
# whose labels are translated there), written out here.
BODY_AREAS = ("low-back", "buttock-hip", "leg", "neck", "arm-hand", "knee", "feet")


def create_body_areas(apps, schema_editor):
    BodyArea = apps.get_model("conditions", "BodyArea")
    for code in BODY_AREAS:
        BodyArea.objects.get_or_create(code=code)


def remove_body_areas(apps, schema_editor):
    apps.get_model("conditions", "BodyArea").objects.filter(code__in=BODY_AREAS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("conditions", "0001_initial"),
        ("search", "0001_initial"),
        ("contact", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [
        migrations.RunPython(create_groups, remove_groups),
        migrations.RunPython(create_body_areas, remove_body_areas),
    ]
