"""The medical review workflow's email: to the medical reviewers when someone asks for a
review, and to the author when a reviewer publishes their page or sends it back.

No patient data is anywhere near these: an article's title, its kind, staff names and the
reviewer's note. Plain text, with a link to the page in the staff site. Sent from the task
worker (tasks.py), never inside the request that asked.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def admin_link(article):
    opts = article._meta
    path = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[article.pk])
    return settings.SITE_URL + path


def reviewers(model):
    """The email addresses of the active medical reviewers of this kind of article (the
    publish permission, through their group or their own)."""
    users = get_user_model().objects.with_perm(
        model.publish_permission(), include_superusers=False, backend=MODEL_BACKEND
    )
    return sorted(
        set(users.filter(is_active=True).exclude(email="").values_list("email", flat=True))
    )


def _message(template, context, to):
    subject = render_to_string(f"conditions/email/{template}_subject.txt", context)
    body = render_to_string(f"conditions/email/{template}.txt", context)
    return EmailMessage(
        subject=settings.EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )


def review_request(article):
    """The email asking the medical reviewers to review `article`, or None if none has an
    address."""
    to = reviewers(type(article))
    if not to:
        return None
    asker = article.review_requested_by
    context = {
        "article": article,
        "kind": article._meta.verbose_name,
        "asker": (asker.get_full_name() or asker.get_username()) if asker else "",
        "admin_url": admin_link(article),
    }
    return _message("review_requested", context, to)


def review_outcome(article, outcome, author):
    """The email telling `author` that `article` was published or sent back, or None."""
    if author is None or not author.email:
        return None
    context = {
        "article": article,
        "kind": article._meta.verbose_name,
        "published": outcome == "published",
        "reviewer": article.reviewed_by,
        "note": article.review_note,
        "admin_url": admin_link(article),
    }
    return _message("review_outcome", context, [author.email])
