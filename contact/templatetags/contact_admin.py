"""{% staff_email_queue %}: on the admin index, how many staff emails wait and for how long,
and whether a worker stopped in the middle of sending one."""

from datetime import timedelta

from django import template
from django.conf import settings
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from contact.models import Inquiry
from contact.tasks import abandoned_after, abandoned_recently, abandoned_tasks

register = template.Library()


def duration(seconds):
    """ "10 minutes", or "3 seconds" for less than two minutes."""
    if seconds < 120:
        count = round(seconds)
        return ngettext("%(count)d second", "%(count)d seconds", count) % {"count": count}
    count = round(seconds / 60)
    return ngettext("%(count)d minute", "%(count)d minutes", count) % {"count": count}


@register.inclusion_tag("admin/contact/email_queue.html", takes_context=True)
def staff_email_queue(context):
    """Warns when the oldest waiting email is older than CONTACT_EMAIL_QUEUE_WARN_MINUTES: a
    stopped worker (its emails were never tried) or a mail server that keeps failing."""
    if not context["request"].user.has_perm("contact.view_inquiry"):
        return {"show": False}
    now = timezone.now()
    warn_after = timedelta(minutes=settings.CONTACT_EMAIL_QUEUE_WARN_MINUTES)
    waiting = Inquiry.objects.notification_pending()
    summary = waiting.aggregate(
        count=Count("pk"),
        oldest=Min("created_at"),
        untried=Count("pk", filter=Q(notification_attempts=0, created_at__lt=now - warn_after)),
    )
    late = summary["oldest"] is not None and now - summary["oldest"] > warn_after
    last_error = ""
    if late:
        last_error = (
            waiting.exclude(notification_last_error="")
            .order_by("-created_at")
            .values_list("notification_last_error", flat=True)
            .first()
        ) or ""
    # Tasks a worker left RUNNING when it stopped: not yet marked (the cron job will), and
    # marked failed in the last week (their emails were queued again).
    stuck = abandoned_tasks(now).count()
    recently_abandoned = abandoned_recently(now).count()
    return {
        "show": True,
        "stuck": stuck,
        "stuck_for": duration(abandoned_after().total_seconds()),
        "recently_abandoned": recently_abandoned,
        "count": summary["count"],
        "oldest": summary["oldest"],
        "late": late,
        "untried": summary["untried"],
        "last_error": last_error,
        "warn_minutes": settings.CONTACT_EMAIL_QUEUE_WARN_MINUTES,
        "list_url": reverse("admin:contact_inquiry_changelist") + "?email_state=unsent&status=all",
    }
