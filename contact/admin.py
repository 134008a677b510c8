"""The front desk's view of patient inquiries: a work list, not an editor.

What the patient sent is read-only. Staff change only the status (new, in progress, closed)
and who handles it, and add dated notes to a log (never edited, so nobody's note is lost);
each status change records who and when, and every change is kept in the history
(django-simple-history), shown on a page of our own (history.py): names, local times, labels,
what the system did marked as such, and no "revert". Inquiries cannot be added here: they only
come from the website. Everything a patient typed is shown escaped (Django's admin escapes
read-only values; the few columns built here use format_html).

Links go only where the user's role can go: the related condition links to its admin page for
roles that may open it, else to its public page while it is published, else it is plain text.
"""

import csv
import datetime
import logging

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_variables
from simple_history.admin import SimpleHistoryAdmin

from clinic_site.core.clinic.phone import e164
from clinic_site.core.text import fold

from . import history
from .models import STAFF_NOTES_MAX_LENGTH, Inquiry, InquiryNote
from .tasks import queue_staff_email

logger = logging.getLogger(__name__)

PATIENT_FIELDS = (
    "name",
    "email",
    "phone_display",
    "preferred_contact",
    "reason",
    "language",
    "condition_link",
    "message_display",
    "consent",
)
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def previous_business_day(moment):
    """The same clock time one working day earlier (Saturdays and Sundays skipped; public
    holidays are not known here)."""
    moment -= datetime.timedelta(days=1)
    while moment.weekday() >= 5:
        moment -= datetime.timedelta(days=1)
    return moment


def waiting_cutoff(now=None):
    return previous_business_day(timezone.localtime(now or timezone.now()))


def csv_safe(value):
    """A cell a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def notes_as_text(notes):
    """The notes log as one cell: each entry on its own lines, with its time and author."""
    return "\n\n".join(
        f"{timezone.localtime(note.created_at):%Y-%m-%d %H:%M} {staff_name(note.author)}:\n"
        f"{note.text}"
        for note in notes
    )


class StatusFilter(admin.SimpleListFilter):
    """Open inquiries (new and in progress) unless the user asks for others."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            (None, _("Open")),
            *Inquiry.Status.choices,
            ("all", _("All")),
        ]

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string(
                    {self.parameter_name: lookup} if lookup else {}, [self.parameter_name]
                ),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset.open()
        if value in Inquiry.Status.values:
            return queryset.filter(status=value)
        return queryset


class WaitingFilter(admin.SimpleListFilter):
    title = _("waiting")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("over_one_business_day", _("New for over one working day"))]

    def queryset(self, request, queryset):
        if self.value() == "over_one_business_day":
            return queryset.filter(status=Inquiry.Status.NEW, created_at__lt=waiting_cutoff())
        return queryset


class EmailStateFilter(admin.SimpleListFilter):
    title = _("staff email")
    parameter_name = "email_state"

    def lookups(self, request, model_admin):
        return [("unsent", _("Not sent")), ("sent", _("Sent"))]

    def queryset(self, request, queryset):
        if self.value() == "unsent":
            return queryset.notification_pending()
        if self.value() == "sent":
            return queryset.filter(notification_sent_at__isnull=False)
        return queryset


def staff_name(user):
    """How the admin names a staff member: their full name, else their username."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def text_with_line_breaks(text):
    """Escaped text, its line breaks kept, in its own direction (right-to-left text too)."""
    lines = text.split("\n")
    html = format_html("{}", lines[0])
    for line in lines[1:]:
        html = format_html("{}<br>{}", html, line)
    return format_html('<div dir="auto">{}</div>', html)


class InquiryAdminForm(forms.ModelForm):
    """The front desk's fields, plus a box that adds one entry to the notes log.

    Two staff members may have the same inquiry open. Each form carries the status and handler
    it was shown with (`seen_*`): a field its user left as shown keeps whatever is stored now,
    so saving a note never puts back a status a colleague has changed meanwhile."""

    SEEN = ("status", "handled_by")

    new_note = forms.CharField(
        label=_("Add a note"),
        required=False,
        max_length=STAFF_NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_(
            "Internal only. Never shown to the patient. Saved with your name and the time; "
            "earlier notes stay as they are."
        ),
    )

    seen_status = forms.CharField(widget=forms.HiddenInput, required=False)
    seen_handled_by = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Inquiry
        fields = ("status", "handled_by")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.SEEN:
            self.fields[f"seen_{name}"].initial = self.initial.get(name) or ""
        if self.is_bound and self.instance.pk:
            data = self.data.copy()
            for name in self.SEEN:
                seen = data.get(f"seen_{name}")
                if seen is not None and data.get(name, "") == seen:
                    current = self.initial.get(name)
                    data[name] = "" if current is None else str(current)
            self.data = data


@admin.register(Inquiry)
class InquiryAdmin(SimpleHistoryAdmin):
    form = InquiryAdminForm
    list_display = (
        "reference",
        "name",
        "created_at",
        "reason",
        "language",
        "status",
        "age",
        "email_state",
    )
    list_filter = (
        StatusFilter,
        WaitingFilter,
        "reason",
        "language",
        "created_at",
        EmailStateFilter,
    )
    search_fields = ("reference", "name", "email", "phone")
    date_hierarchy = "created_at"
    list_select_related = ("condition",)
    list_per_page = 50
    actions = ("mark_in_progress", "mark_closed", "resend_notification", "export_csv")
    fieldsets = (
        (
            _("Inquiry"),
            {"fields": ("reference", "created_at", *PATIENT_FIELDS)},
        ),
        (
            _("Front desk"),
            {
                "fields": (
                    "status",
                    "handled_by",
                    "status_changed",
                    "notes_log",
                    "new_note",
                    "seen_status",
                    "seen_handled_by",
                )
            },
        ),
        (
            _("Staff email"),
            {
                "fields": (
                    "email_state",
                    "notification_attempts",
                    "notification_last_error",
                    "notification_next_attempt_at",
                    "notification_sent_at",
                )
            },
        ),
    )
    readonly_fields = (
        "reference",
        "created_at",
        *PATIENT_FIELDS,
        "status_changed",
        "notes_log",
        "email_state",
        "notification_attempts",
        "notification_last_error",
        "notification_next_attempt_at",
        "notification_sent_at",
    )

    class Media:
        css = {"all": ("css/admin.css",)}

    # Permissions ---------------------------------------------------------------------------

    def has_add_permission(self, request):
        return False  # inquiries only come from the website

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            # Read-only fields are given the object alone: what this user may open goes on it.
            obj.condition_url = self.condition_url(request, obj.condition)
        return obj

    def condition_url(self, request, condition):
        """Where this user may open the related condition: its admin page if their role may
        view it there, else its public page while it is published, else nowhere (None)."""
        if condition is None:
            return None
        if self.admin_site.may_view(request, type(condition), condition):
            opts = condition._meta
            return reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=[condition.pk],
                current_app=self.admin_site.name,
            )
        if condition.is_published:
            return condition.get_absolute_url()
        return None

    # The admin index ---------------------------------------------------------------------

    def work_queues(self, request):
        """What waits for the front desk, for the admin index (see StaffAdminSite)."""
        return [
            {
                "label": _("New inquiries"),
                "count": Inquiry.objects.filter(status=Inquiry.Status.NEW).count(),
                "url": reverse("admin:contact_inquiry_changelist", current_app=self.admin_site.name)
                + "?status=new",
            }
        ]

    # Columns ---------------------------------------------------------------------------------

    @admin.display(description=_("waiting"))
    def age(self, obj):
        return timesince(obj.created_at)

    @admin.display(description=_("staff email"))
    def email_state(self, obj):
        if obj.notification_sent_at:
            return _("Sent")
        if obj.notification_last_error:  # a try in hand (a resend, say) has none
            return format_html(
                "{} ({})",
                _("Failed, will retry"),
                ngettext("%(n)d attempt", "%(n)d attempts", obj.notification_attempts)
                % {"n": obj.notification_attempts},
            )
        return _("Not sent yet")

    @admin.display(description=_("phone"))
    def phone_display(self, obj):
        return obj.phone_display or "-"

    @admin.display(description=_("message"))
    def message_display(self, obj):
        return text_with_line_breaks(obj.message)

    @admin.display(description=_("related condition"))
    def condition_link(self, obj):
        condition = obj.condition
        if condition is None:
            return "-"
        url = getattr(obj, "condition_url", None)
        if url is None:
            return condition.title
        if url.startswith(reverse("admin:index", current_app=self.admin_site.name)):
            return format_html('<a href="{}">{}</a>', url, condition.title)
        return format_html('<a href="{}">{}</a> ({})', url, condition.title, _("public page"))

    @admin.display(description=_("status changed"))
    def status_changed(self, obj):
        if not obj.status_changed_at:
            return "-"
        who = staff_name(obj.status_changed_by) or _("unknown")
        return format_html(
            "{} {} {}",
            timezone.localtime(obj.status_changed_at).strftime("%Y-%m-%d %H:%M"),
            _("by"),
            who,
        )

    @admin.display(description=_("staff notes"))
    def notes_log(self, obj):
        notes = list(obj.notes.select_related("author")) if obj.pk else []
        if not notes:
            return _("No notes yet.")
        return format_html(
            '<ol class="app-notes">{}</ol>',
            format_html_join(
                "",
                '<li class="app-notes__entry"><p class="app-notes__meta">'
                '<time datetime="{}">{}</time> · {}</p>{}</li>',
                (
                    (
                        note.created_at.isoformat(),
                        timezone.localtime(note.created_at).strftime("%Y-%m-%d %H:%M"),
                        staff_name(note.author) or _("unknown"),
                        text_with_line_breaks(note.text),
                    )
                    for note in notes
                ),
            ),
        )

    # Search: names without their accents, phone numbers the way people say them ---------

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if words := fold(search_term).split():
            # "Hernandez" (or "hernández") finds José Hernández: every word in the folded name.
            named = queryset
            for word in words:
                named = named.filter(search_name__contains=word)
            results = results | named
        if number := e164(search_term):
            results = results | queryset.filter(phone=number)
        return results, may_have_duplicates

    # Saving ------------------------------------------------------------------------------

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "handled_by":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            obj.status_changed_at = timezone.now()
            obj.status_changed_by = request.user
        # Saved only when something was changed: adding a note is not a change to the history.
        if not change or set(form.changed_data) & set(InquiryAdminForm.SEEN):
            super().save_model(request, obj, form, change)
        if text := form.cleaned_data.get("new_note", "").strip():
            InquiryNote.objects.create(inquiry=obj, author=request.user, text=text)

    # History: our own page, read-only --------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("History: %s") % obj,
            "subtitle": None,
            "object": obj,
            "opts": self.opts,
            "entries": history.timeline(obj),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/contact/inquiry/history.html", context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """django-simple-history's page of one past version, with its "revert" button: there is
        nothing to revert to (patients' text never changes; status and notes are the record)."""
        return HttpResponseRedirect(
            reverse(
                "admin:contact_inquiry_history",
                args=[object_id],
                current_app=self.admin_site.name,
            )
        )

    def set_status(self, request, queryset, status):
        """Each row saved on its own, so each change lands in the history with its user."""
        changed = 0
        for inquiry in queryset.exclude(status=status):
            inquiry.status = status
            inquiry.status_changed_at = timezone.now()
            inquiry.status_changed_by = request.user
            inquiry._change_reason = f"Bulk action: {status}"
            inquiry.save(update_fields=["status", "status_changed_at", "status_changed_by"])
            changed += 1
        return changed

    # Actions -----------------------------------------------------------------------------

    @admin.action(description=_("Mark selected inquiries as in progress"), permissions=["change"])
    def mark_in_progress(self, request, queryset):
        changed = self.set_status(request, queryset, Inquiry.Status.IN_PROGRESS)
        self.message_user(
            request,
            ngettext(
                "%(n)d inquiry marked in progress.", "%(n)d inquiries marked in progress.", changed
            )
            % {"n": changed},
            messages.SUCCESS,
        )

    @admin.action(description=_("Mark selected inquiries as closed"), permissions=["change"])
    def mark_closed(self, request, queryset):
        changed = self.set_status(request, queryset, Inquiry.Status.CLOSED)
        self.message_user(
            request,
            ngettext("%(n)d inquiry closed.", "%(n)d inquiries closed.", changed) % {"n": changed},
            messages.SUCCESS,
        )

    @admin.action(description=_("Resend the staff email"), permissions=["change"])
    def resend_notification(self, request, queryset):
        # The worker sends it; one that some worker is sending right now is left to it.
        free = list(queryset.claimable().values_list("pk", flat=True))
        for pk in free:
            queue_staff_email(pk, force=True)
        busy = len(queryset) - len(free)
        if free:
            self.message_user(
                request,
                ngettext(
                    "%(n)d email queued to be sent again. Its state shows on the inquiry.",
                    "%(n)d emails queued to be sent again. Their state shows on the inquiries.",
                    len(free),
                )
                % {"n": len(free)},
                messages.SUCCESS,
            )
        if busy:
            self.message_user(
                request,
                ngettext(
                    "%(n)d email is being sent right now; try again in a few minutes.",
                    "%(n)d emails are being sent right now; try again in a few minutes.",
                    busy,
                )
                % {"n": busy},
                messages.INFO,
            )

    @admin.action(description=_("Export selected inquiries as CSV"), permissions=["view"])
    @sensitive_variables()
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="inquiries-{stamp}.csv"'
        response["Cache-Control"] = "no-store"
        response.write("\ufeff")  # so spreadsheet programs read UTF-8
        writer = csv.writer(response)
        writer.writerow(
            [
                _("Reference"),
                _("Received"),
                _("Reason"),
                _("Status"),
                _("Name"),
                _("Email"),
                _("Phone"),
                _("Preferred contact"),
                _("Related condition"),
                _("Message"),
                _("Handled by"),
                _("Staff notes"),
            ]
        )
        rows = (
            queryset.select_related("condition", "handled_by")
            .prefetch_related(Prefetch("notes", InquiryNote.objects.select_related("author")))
            .order_by("created_at")
        )
        count = 0
        for inquiry in rows:
            writer.writerow(
                csv_safe(value)
                for value in (
                    inquiry.reference,
                    timezone.localtime(inquiry.created_at).strftime("%Y-%m-%d %H:%M"),
                    inquiry.get_reason_display(),
                    inquiry.get_status_display(),
                    inquiry.name,
                    inquiry.email,
                    inquiry.phone_display,
                    inquiry.get_preferred_contact_display(),
                    inquiry.condition.title if inquiry.condition else "",
                    inquiry.message,
                    staff_name(inquiry.handled_by),
                    notes_as_text(inquiry.notes.all()),
                )
            )
            count += 1
        # Who took patient data out of the system, and how much (no contents).
        logger.info("User %s exported %d inquiries as CSV", request.user.pk, count)
        return response

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Closed inquiries are deleted by purge_inquiries after the retention period.
        actions.pop("delete_selected", None)
        return actions
