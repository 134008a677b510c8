"""Who may do what (the README's "Staff roles"): editors write drafts; only medical
reviewers publish and sign off a review. The groups come from migration 0002."""

from django.contrib import messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import (
    Article,
)

PUBLISHING_FIELDS = ("status", "publish_at")
REVIEW_FIELDS = ("reviewed_by", "reviewer_credentials", "last_reviewed_on", "next_review_due")
SIGNED_OFF_FIELDS = PUBLISHING_FIELDS + REVIEW_FIELDS


class RolesMixin:
    """Change and publish permissions by role; signed-off fields kept for those who may not
    publish."""

    # Roles ---------------------------------------------------------------------------------

    def can_publish(self, request):
        return request.user.has_perm(self.model.publish_permission())

    def has_publish_permission(self, request):
        """For actions marked permissions=["publish"]: medical reviewers only."""
        return self.can_publish(request)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or self.can_publish(request):
            return True
        return self._stored_status(obj) == Article.Status.DRAFT

    def _stored_status(self, obj):
        """The status in the database (obj may be an old version, e.g. from the history)."""
        if obj.pk is None:
            return Article.Status.DRAFT
        stored = (
            self.model.with_revisions.filter(pk=obj.pk).values_list("status", flat=True).first()
        )
        return stored or Article.Status.DRAFT

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, object_id)
            if (
                obj is not None
                and self.has_view_permission(request, obj)
                and not self.has_change_permission(request, obj)
            ):
                self.message_user(
                    request,
                    _(
                        "This page is published, scheduled or in review, so only a medical "
                        "reviewer can change it directly. To change a live page, revise it: "
                        "patients keep seeing it as published until a reviewer publishes your "
                        "revision."
                    ),
                    messages.INFO,
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def keep_signed_off_fields(self, obj):
        """For a user who may not publish: status, publish time and review sign-off stay as
        stored, and a new article is a draft. Read-only fields are already left out of the
        form; this holds whatever else builds the object (a revert, a future form)."""
        stored = self.model.with_revisions.filter(pk=obj.pk).first() if obj.pk else None
        if stored is None:
            defaults = self.model()
            for name in SIGNED_OFF_FIELDS:
                setattr(obj, name, getattr(defaults, name))
            obj.status = Article.Status.DRAFT
            obj.publish_at = timezone.now()
            return
        for name in SIGNED_OFF_FIELDS:
            setattr(obj, name, getattr(stored, name))
