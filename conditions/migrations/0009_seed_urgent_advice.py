"""The urgent advice as reviewed content: one source for the urgent-help page and the emergency
card, seeded from the content brief; the launch articles stop repeating the list.

Editors may draft urgent advice and medical reviewers publish it, as with every article. A
launch article's "When to get help" section is replaced only if it still holds the launch text
(a staff edit is left alone), and each change gets a history entry so it can be undone.
"""

import datetime
import importlib
import textwrap
from zoneinfo import ZoneInfo

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils import timezone

from conditions.markdown import render_markdown
from conditions.readability import reading_grade

LAUNCH = importlib.import_module("conditions.migrations.0002_seed_articles")
SECTIONS = {
    "Condition": LAUNCH.CONDITION_SECTIONS,
    "Guide": LAUNCH.GUIDE_SECTIONS,
    "UrgentAdvice": ("emergency", "same_day", "clinic"),
}
PUBLISH_AT = datetime.datetime(2026, 11, 23, tzinfo=ZoneInfo("America/Indiana/Indianapolis"))
REASON = "Urgent signs moved to the urgent advice"


def md(text):
    return textwrap.dedent(text).strip() + "\n"


ADVICE = {
    "slug": "urgent-help",
    "title": "Back pain: when to get urgent help",
    "summary": "Most back pain is not serious. But some signs mean you need help fast.",
    "emergency": md(
        """
        Go now if you have back pain and any of these:

        - pain, tingling, weakness or numbness in both legs
        - numbness around your genitals or your buttocks (bottom)
        - trouble peeing
        - you cannot control your bladder or bowels (you wet or soil yourself)
        - chest pain
        - the pain started after a serious fall or an accident
        """
    ),
    "same_day": md(
        """
        Call today if you have back pain and:

        - a fever
        - you are losing weight and do not know why

        If you have had cancer and you get new back pain, see a doctor soon.
        """
    ),
    "clinic": md(
        """
        Call us if your pain is getting worse, or if it is not getting better.
        """
    ),
}

POINTER = md(
    """
    Some signs mean you need help fast, such as new numbness or weakness. Read the box
    **When to get help now** below, or our page about
    [when to get urgent help](/urgent-help/).
    """
)

EDITOR_CODENAMES = [f"{action}_urgentadvice" for action in ("add", "change", "view")]
REVIEWER_CODENAMES = [*EDITOR_CODENAMES, "publish_urgentadvice"]


def score(name, article):
    """The stored reading grade, as Article.save() works it out."""
    parts = [article.summary, *(getattr(article, field) for field in SECTIONS[name])]
    article.reading_grade_score = reading_grade("\n\n".join(p for p in parts if p))


def history_record(apps, name, article, when):
    Model = apps.get_model("conditions", name)
    History = apps.get_model("conditions", f"Historical{name}")
    fields = [field.attname for field in Model._meta.concrete_fields]
    History.objects.create(
        **{field: getattr(article, field) for field in fields},
        history_date=when,
        history_type="~" if name != "UrgentAdvice" else "+",
        history_change_reason=REASON,
    )


def seed(apps, schema_editor):
    app_config = apps.get_app_config("conditions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Editors", EDITOR_CODENAMES), ("Medical reviewers", REVIEWER_CODENAMES)):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="conditions", codename__in=codenames)
            )

    now = timezone.now()
    UrgentAdvice = apps.get_model("conditions", "UrgentAdvice")
    fields = {key: value for key, value in ADVICE.items() if key != "slug"}
    fields.update({f"{name}_html": render_markdown(fields[name]) for name in SECTIONS["UrgentAdvice"]})
    advice, created = UrgentAdvice.objects.get_or_create(
        slug=ADVICE["slug"], defaults={**fields, "status": "published", "publish_at": PUBLISH_AT}
    )
    if created:
        score("UrgentAdvice", advice)
        advice.save(update_fields=["reading_grade_score"])
        history_record(apps, "UrgentAdvice", advice, now)

    for name in ("Condition", "Guide"):
        Model = apps.get_model("conditions", name)
        for article in Model.objects.filter(when_to_get_help=LAUNCH.URGENT_HELP):
            article.when_to_get_help = POINTER
            article.when_to_get_help_html = render_markdown(POINTER)
            score(name, article)
            article.save(
                update_fields=["when_to_get_help", "when_to_get_help_html", "reading_grade_score", "updated_at"]
            )
            history_record(apps, name, article, now)


def unseed(apps, schema_editor):
    for name in ("Condition", "Guide"):
        Model = apps.get_model("conditions", name)
        Model.objects.filter(when_to_get_help=POINTER).update(
            when_to_get_help=LAUNCH.URGENT_HELP,
            when_to_get_help_html=render_markdown(LAUNCH.URGENT_HELP),
        )
        apps.get_model("conditions", f"Historical{name}").objects.filter(
            history_change_reason=REASON
        ).delete()
    apps.get_model("conditions", "UrgentAdvice").objects.filter(slug=ADVICE["slug"]).delete()


class Migration(migrations.Migration):
    dependencies = [("conditions", "0008_urgent_advice"), ("conditions", "0004_editor_groups")]
    operations = [migrations.RunPython(seed, unseed)]
