"""The front desk's view of patient inquiries: a work list, not an editor.

What the patient sent is read-only. Staff change only the status (new, in progress, closed),
who handles it and internal notes; each status change records who and when, and every change
is kept in the history (django-simple-history). Inquiries cannot be added here: they only come
from the website. Everything a patient typed is shown escaped (Django's admin escapes read-only
values; the few columns built here use format_html).
"""

import csv
import datetime
import logging

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_variables
from simple_history.admin import SimpleHistoryAdmin

from clinic_site.core.clinic.phone import e164

from .models import Inquiry
from .tasks import queue_staff_email

logger = logging.getLogger(__name__)

PATIENT_FIELDS = (
    "name",
    "email",
    "phone_display",
    "preferred_contact",
    "reason",
    "language",
    "condition",
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


@admin.register(Inquiry)
class InquiryAdmin(SimpleHistoryAdmin):
    list_display = (
        "reference",
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
            {"fields": ("status", "handled_by", "staff_notes", "status_changed")},
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
        "email_state",
        "notification_attempts",
        "notification_last_error",
        "notification_next_attempt_at",
        "notification_sent_at",
    )
    history_list_display = ("status", "handled_by")

    # Permissions ---------------------------------------------------------------------------

    def has_add_permission(self, request):
        return False  # inquiries only come from the website

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
        # Escaped by format_html; line breaks kept. dir="auto" for right-to-left text.
        lines = obj.message.split("\n")
        html = format_html("{}", lines[0])
        for line in lines[1:]:
            html = format_html("{}<br>{}", html, line)
        return format_html('<div dir="auto">{}</div>', html)

    @admin.display(description=_("status changed"))
    def status_changed(self, obj):
        if not obj.status_changed_at:
            return "-"
        who = obj.status_changed_by.get_username() if obj.status_changed_by else _("unknown")
        return format_html(
            "{} {} {}",
            timezone.localtime(obj.status_changed_at).strftime("%Y-%m-%d %H:%M"),
            _("by"),
            who,
        )

    # Search: staff type a phone number the way people say it ---------------------------

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
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
        super().save_model(request, obj, form, change)

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
        rows = queryset.select_related("condition", "handled_by").order_by("created_at")
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
                    inquiry.handled_by.get_username() if inquiry.handled_by else "",
                    inquiry.staff_notes,
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
