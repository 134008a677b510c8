"""A first history entry for each article that has none: the launch articles.

Data migrations do not go through the models' save signals, so the seeded articles had no
history: the admin's history page was empty and the launch text could not be restored after
the first edit. Each article without history gets a "created" entry holding its current text
(with the condition's treatment links, which are tracked too).
"""

from django.db import migrations
from django.utils import timezone

REASON = "Launch content, from the data migration"


def add_launch_history(apps, schema_editor):
    for name in ("Condition", "Treatment", "Guide"):
        Model = apps.get_model("conditions", name)
        History = apps.get_model("conditions", f"Historical{name}")
        fields = [field.attname for field in Model._meta.concrete_fields]
        recorded = set(History.objects.values_list("id", flat=True))
        for article in Model.objects.exclude(pk__in=recorded):
            record = History.objects.create(
                **{field: getattr(article, field) for field in fields},
                history_date=article.updated_at or timezone.now(),
                history_type="+",
                history_change_reason=REASON,
            )
            if name == "Condition":
                Links = apps.get_model("conditions", "HistoricalCondition_treatments")
                through = Model._meta.get_field("treatments").remote_field.through
                for link in through.objects.filter(condition_id=article.pk):
                    Links.objects.create(
                        id=link.pk,
                        history=record,
                        condition_id=article.pk,
                        treatment_id=link.treatment_id,
                    )


def remove_launch_history(apps, schema_editor):
    for name in ("Condition", "Treatment", "Guide"):
        History = apps.get_model("conditions", f"Historical{name}")
        records = History.objects.filter(history_change_reason=REASON)
        if name == "Condition":
            apps.get_model("conditions", "HistoricalCondition_treatments").objects.filter(
                history__in=records
            ).delete()
        records.delete()


class Migration(migrations.Migration):
    dependencies = [("conditions", "0005_seed_sources_and_diagram")]
    operations = [migrations.RunPython(add_launch_history, remove_launch_history)]
