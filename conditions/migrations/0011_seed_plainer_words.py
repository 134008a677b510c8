"""The first plainer words, in English and Spanish, and the right to extend the list.

Editors and medical reviewers add, change and remove words in the admin ("Plainer words").
Words staff added or changed are left alone when this runs again or is reversed.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WORDS = {
    "en": {
        "utilize": "use",
        "approximately": "about",
        "anesthetic": "numbing medicine",
        "analgesic": "pain medicine",
        "physician": "doctor",
        "medication": "medicine",
        "administer": "give",
        "commence": "start",
        "terminate": "stop or end",
        "prior to": "before",
        "in order to": "to",
        "subsequently": "later or then",
        "sufficient": "enough",
        "numerous": "many",
        "bilateral": "on both sides",
        "chronic": "long-lasting",
    },
    "es": {
        "utilizar": "usar",
        "aproximadamente": "más o menos",
        "anestésico": "medicina para adormecer",
        "analgésico": "medicina para el dolor",
        "medicación": "medicina",
        "administrar": "dar",
        "realizar": "hacer",
        "posteriormente": "después",
        "previamente": "antes",
        "con el fin de": "para",
        "finalizar": "terminar",
        "bilateral": "en los dos lados",
        "crónico": "que dura mucho tiempo",
    },
}

CODENAMES = [f"{action}_plainerword" for action in ("add", "change", "delete", "view")]


def seed(apps, schema_editor):
    app_config = apps.get_app_config("conditions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="conditions", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name__in=("Editors", "Medical reviewers")):
        group.permissions.add(*permissions)

    PlainerWord = apps.get_model("conditions", "PlainerWord")
    for language, words in WORDS.items():
        for word, suggestion in words.items():
            if not PlainerWord.objects.filter(language=language, word__iexact=word).exists():
                PlainerWord.objects.create(language=language, word=word, suggestion=suggestion)


def unseed(apps, schema_editor):
    PlainerWord = apps.get_model("conditions", "PlainerWord")
    for language, words in WORDS.items():
        for word, suggestion in words.items():
            PlainerWord.objects.filter(language=language, word=word, suggestion=suggestion).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("conditions", "0010_writing_help"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
