"""Who may do what (the README's "Staff roles"): editors write drafts; only medical
reviewers publish and sign off a review; nobody changes a live page in place (it changes
through its revision, conditions/revisions.py). The groups come from migration 0002."""

from django.contrib import messages
from django.contrib.admin.actions import delete_selected
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
        if obj is None:
            return True
        if self._is_stored_live(obj):
            return False  # everyone, reviewers too, changes a live page through a revision
        return self.can_publish(request) or self._stored_status(obj) == Article.Status.DRAFT

    def has_delete_permission(self, request, obj=None):
        """A live page is taken offline first (its own, deliberate step), then deleted: never
        straight off the public site, by superusers either."""
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or not self._is_stored_live(obj)

    def get_actions(self, request):
        """The list's "Delete selected" refuses a selection that holds a live page (Django's
        own action asks for no object's permission)."""
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _action, name, description = actions["delete_selected"]
            actions[name] = (delete_selected_unless_live, name, description)
        return actions

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:  # just read: its status is the stored one
            obj._status_as_stored = obj.status
        return obj

    def _is_stored_live(self, obj):
        """Stored as published: a live page (a revision cannot be, a database constraint)."""
        return self._stored_status(obj) == Article.Status.PUBLISHED

    def _stored_status(self, obj):
        """The status in the database (obj may be an old version, e.g. from the history, or
        hold a form's posted status). Read once per object: the admin asks for each inline
        and button, and a save in the same request is judged by the status it started from."""
        if obj.pk is None:
            return Article.Status.DRAFT
        if getattr(obj, "_status_as_stored", None) is None:
            stored = (
                self.model.with_revisions.filter(pk=obj.pk).values_list("status", flat=True).first()
            )
            obj._status_as_stored = stored or Article.Status.DRAFT
        return obj._status_as_stored

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, object_id)
            if (
                obj is not None
                and self.has_view_permission(request, obj)
                and not self.has_change_permission(request, obj)
            ):
                if self._is_stored_live(obj):
                    text = _(
                        "This page is live, so nobody changes it in place. To change it, revise "
                        "it: patients keep seeing it as published until a medical reviewer "
                        "publishes your revision."
                    )
                else:
                    text = _(
                        "This page is scheduled or in review, so only a medical reviewer can "
                        "change it now."
                    )
                self.message_user(request, text, messages.INFO)
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


def delete_selected_unless_live(modeladmin, request, queryset):
    live = list(queryset.filter(status=Article.Status.PUBLISHED).values_list("title", flat=True))
    if live:
        modeladmin.message_user(
            request,
            _(
                "Nothing was deleted: live pages are taken offline first, one by one, then "
                "deleted. Live: %(titles)s."
            )
            % {"titles": ", ".join(sorted(live))},
            messages.ERROR,
        )
        return None
    return delete_selected(modeladmin, request, queryset)
