"""Staff notes become a log of dated entries with their author; the patient's name gets a
folded copy for accent-insensitive search; the history stops recording the task worker's email
bookkeeping (it read as if the next staff member to save had changed it).

What one shared notes box held is kept: it becomes the first entry of each inquiry's log,
with no author (nobody can say who wrote which line) and the time of the inquiry's last change.
"""

import unicodedata

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def fold(text):
    # Written out here (as clinic_site.core.text.fold is): a migration imports no project code.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def notes_to_log_and_fold_names(apps, schema_editor):
    Inquiry = apps.get_model("contact", "Inquiry")
    InquiryNote = apps.get_model("contact", "InquiryNote")
    for inquiry in Inquiry.objects.only("pk", "name", "staff_notes", "created_at", "status_changed_at").iterator():
        Inquiry.objects.filter(pk=inquiry.pk).update(search_name=fold(inquiry.name))
        if inquiry.staff_notes.strip():
            InquiryNote.objects.create(
                inquiry_id=inquiry.pk,
                text=inquiry.staff_notes,
                created_at=inquiry.status_changed_at or inquiry.created_at,
            )


def log_to_notes(apps, schema_editor):
    Inquiry = apps.get_model("contact", "Inquiry")
    InquiryNote = apps.get_model("contact", "InquiryNote")
    for inquiry in Inquiry.objects.only("pk").iterator():
        texts = InquiryNote.objects.filter(inquiry_id=inquiry.pk).order_by("created_at", "pk")
        text = "\n\n".join(texts.values_list("text", flat=True))
        Inquiry.objects.filter(pk=inquiry.pk).update(staff_notes=text[:5000])


class Migration(migrations.Migration):
    dependencies = [
        ("contact", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="inquiry",
            name="search_name",
            field=models.CharField(default="", editable=False, max_length=100),
        ),
        migrations.CreateModel(
            name="InquiryNote",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        db_index=True,
                        default=django.utils.timezone.now,
                        editable=False,
                        verbose_name="written",
                    ),
                ),
                (
                    "text",
                    models.TextField(
                        help_text="Internal only. Never shown to the patient.",
                        max_length=5000,
                        validators=[django.core.validators.MaxLengthValidator(5000)],
                        verbose_name="note",
                    ),
                ),
                (
                    "author",
                    models.ForeignKey(
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="author",
                    ),
                ),
                (
                    "inquiry",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notes",
                        to="contact.inquiry",
                        verbose_name="inquiry",
                    ),
                ),
            ],
            options={
                "verbose_name": "staff note",
                "verbose_name_plural": "staff notes",
                "ordering": ["created_at", "pk"],
            },
        ),
        migrations.RunPython(notes_to_log_and_fold_names, log_to_notes),
        migrations.RemoveField(model_name="inquiry", name="staff_notes"),
        migrations.RemoveField(model_name="historicalinquiry", name="staff_notes"),
        migrations.RemoveField(model_name="historicalinquiry", name="notification_attempts"),
        migrations.RemoveField(model_name="historicalinquiry", name="notification_last_error"),
        migrations.RemoveField(model_name="historicalinquiry", name="notification_sent_at"),
    ]
