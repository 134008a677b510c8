"""The launch synonym list: everyday words (from the content brief's "Patients say") mapped to
the terms the pages use. Editors extend it in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CLUNEAL_EN = "cluneal nerve entrapment"
CLUNEAL_ES = "nervios cluneales"
SYNONYMS = {
    "en": {
        "butt": [CLUNEAL_EN],
        "buttock pain": [CLUNEAL_EN],
        "hip pain": [CLUNEAL_EN],
        "hip bone": [CLUNEAL_EN],
        "pain when sitting": [CLUNEAL_EN],
        "sciatica": [CLUNEAL_EN],
        "freezing the nerve": ["cryoablation", "cryoneurolysis"],
        "freeze": ["cryoablation"],
        "nerve stimulator": ["peripheral nerve stimulation"],
        "non-surgical": ["conservative care"],
    },
    "es": {
        "nalga": [CLUNEAL_ES],
        "nalgas": [CLUNEAL_ES],
        "glúteo": [CLUNEAL_ES],
        "dolor de cadera": [CLUNEAL_ES],
        "dolor al sentarse": [CLUNEAL_ES],
        "ciática": [CLUNEAL_ES],
        "congelar el nervio": ["crioablación"],
        "congelar": ["crioablación"],
    },
}


CODENAMES = [f"{action}_synonym" for action in ("add", "change", "delete", "view")]


def seed(apps, schema_editor):
    # Editors and medical reviewers keep the list, as they keep the plainer words.
    app_config = apps.get_app_config("search")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="search", codename__in=CODENAMES)
    for group in Group.objects.filter(name__in=("Editors", "Medical reviewers")):
        group.permissions.add(*permissions)

    Synonym = apps.get_model("search", "Synonym")
    for language, entries in SYNONYMS.items():
        for words, terms in entries.items():
            Synonym.objects.get_or_create(
                language=language, words=words, defaults={"terms": "\n".join(terms)}
            )


def unseed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for language, entries in SYNONYMS.items():
        Synonym.objects.filter(language=language, words__in=list(entries)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("conditions", "0004_editor_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
