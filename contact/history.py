"""An inquiry's history as the front desk reads it: who did what, when, in words.

Built from django-simple-history's records, the notes log and the staff email's bookkeeping:
each entry has its local time, the staff member's name (or "System" for what no person did:
the website receiving the inquiry, the task worker sending the staff email), and the changes
as field labels and choice labels ("Status: New → In progress"), never raw values. Fields the
patient sent never change, so they are not compared; the staff email's bookkeeping is not in
the records (the worker writes it with UPDATEs), and shows as the system's own entry.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

# The fields staff change, in the order the page lists their changes.
TRACKED = ("status", "handled_by")


@dataclass
class Entry:
    when: datetime
    what: str
    who: str = ""  # empty: the system
    changes: list = field(default_factory=list)  # (label, before, after)

    @property
    def by_system(self):
        return not self.who


def staff_name(user):
    return user.get_full_name() or user.get_username()


def _value(inquiry_model, name, value, users):
    if value in (None, ""):
        return "-"
    if name == "handled_by":
        user = users.get(value)
        return staff_name(user) if user else _("a former staff member")
    model_field = inquiry_model._meta.get_field(name)
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    return str(value)


def timeline(inquiry):
    """The entries, oldest first. Three queries: records with their users, the staff named in
    them, and the notes with their authors."""
    model = type(inquiry)
    records = list(inquiry.history.select_related("history_user").order_by("history_date", "pk"))
    user_ids = {r.handled_by_id for r in records if r.handled_by_id}
    users = get_user_model().objects.in_bulk(user_ids) if user_ids else {}

    entries = []
    previous = None
    for record in records:
        who = staff_name(record.history_user) if record.history_user else ""
        if record.history_type == "+":
            entries.append(Entry(record.history_date, _("Received from the website"), who))
        elif record.history_type == "-":
            entries.append(Entry(record.history_date, _("Deleted"), who))
        elif previous is not None:
            changes = []
            for name in TRACKED:
                attribute = "handled_by_id" if name == "handled_by" else name
                before, after = getattr(previous, attribute), getattr(record, attribute)
                if before != after:
                    changes.append(
                        (
                            model._meta.get_field(name).verbose_name,
                            _value(model, name, before, users),
                            _value(model, name, after, users),
                        )
                    )
            if changes:
                entries.append(Entry(record.history_date, _("Changed"), who, changes))
        previous = record

    for note in inquiry.notes.select_related("author"):
        who = staff_name(note.author) if note.author else _("a former staff member")
        entries.append(Entry(note.created_at, _("Added a note"), who))

    if inquiry.notification_sent_at:
        entries.append(Entry(inquiry.notification_sent_at, _("Staff email sent")))
    entries.sort(key=lambda entry: entry.when)
    return entries
