"""The medical review workflow on the article pages (conditions/revisions.py does the work):
revise a live page, ask for medical review, publish or send back, take a page offline."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from .. import revisions
from ..models import Article

ASK = "_ask_review"
PUBLISH = "_publish_review"
SEND_BACK = "_send_back"


class WorkflowMixin:
    change_form_template = "admin/conditions/change_form.html"

    # The rows an admin lists and opens: pages and their revisions.
    def get_queryset(self, request):
        # No select_related here: the change list adds list_select_related only to a queryset
        # that has none yet (ChangeList.get_queryset), and a revision names its live page by id.
        queryset = self.model.with_revisions.get_queryset()
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    @admin.display(description=_("revision of"))
    def revision_state(self, obj):
        if obj.revision_of_id is None:
            return "-"
        return format_html(
            '<a href="{}">{}</a>',
            reverse(self._url_name("change"), args=[obj.revision_of_id]),
            _("the live page"),
        )

    def work_queues(self, request):
        """For the index's "Work waiting" (StaffAdminSite): how many of this kind wait for a
        medical reviewer; the list opens filtered to them."""
        opts = self.model._meta
        count = self.model.with_revisions.filter(status=Article.Status.IN_REVIEW).count()
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        return [
            {
                "label": format_lazy(
                    _("{kinds} waiting for medical review"),
                    kinds=capfirst(opts.verbose_name_plural),
                ),
                "count": count,
                "url": f"{url}?status__exact={Article.Status.IN_REVIEW}",
            }
        ]

    def _is_live_page(self, obj):
        return obj is not None and not obj.is_revision and obj.status == Article.Status.PUBLISHED

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        return [
            path(
                "<path:object_id>/revise/",
                self.admin_site.admin_view(self.revise_view),
                name=f"{name}_revise",
            ),
            path(
                "<path:object_id>/take-offline/",
                self.admin_site.admin_view(self.take_offline_view),
                name=f"{name}_take_offline",
            ),
            *super().get_urls(),
        ]

    # Revise a live page ----------------------------------------------------------------------

    def start_revision(self, request, live):
        """The live page's revision in progress, or a new one, logged as added: (revision,
        created). For "Revise this page" and for a revert from the history."""
        revision, created = revisions.start_revision(live, request.user)
        if created:
            self.log_addition(request, revision, [{"added": {}}])
        return revision, created

    def revise_view(self, request, object_id):
        """POST: opens the live page's revision in progress, or starts one."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        live = get_object_or_404(self.model.objects, pk=object_id)
        if not self.has_change_permission(request) or not self._is_live_page(live):
            raise PermissionDenied
        revision, created = self.start_revision(request, live)
        if created:
            self.message_user(
                request,
                _(
                    "This is a revision of the live page. Patients keep seeing the live page "
                    "until a medical reviewer publishes the revision."
                ),
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse(self._url_name("change"), args=[revision.pk]))

    # Take a page offline ---------------------------------------------------------------------

    def take_offline_view(self, request, object_id):
        """A separate, deliberate step with its own confirmation page: medical reviewers only."""
        live = get_object_or_404(self.model.objects, pk=object_id)
        if not self.can_publish(request) or live.status != Article.Status.PUBLISHED:
            raise PermissionDenied
        if request.method == "POST":
            revisions.take_offline(live, request.user)
            self.log_change(request, live, _("Taken offline"))
            self.message_user(
                request,
                _("“%(title)s” is offline: its page answers “not found” until it is published.")
                % {"title": live.title},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse(self._url_name("change"), args=[live.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Take this page offline?"),
            "article": live,
            "opts": self.model._meta,
            "change_url": reverse(self._url_name("change"), args=[live.pk]),
        }
        return TemplateResponse(request, "admin/conditions/take_offline.html", context)

    # Ask for review, publish, send back --------------------------------------------------------

    def workflow_context(self, request, obj):
        """What the panel above the change form says and offers."""
        if obj is None:
            return None
        revision = None
        if self._is_live_page(obj):
            revision = revisions.open_revision(obj)
        return {
            "article": obj,
            "live": obj.revision_of if obj.is_revision else None,
            "revision": revision,
            "is_live_page": self._is_live_page(obj),
            "can_revise": self._is_live_page(obj) and self.has_change_permission(request),
            "can_take_offline": self._is_live_page(obj) and self.can_publish(request),
            "revise_url": reverse(self._url_name("revise"), args=[obj.pk]),
            "offline_url": reverse(self._url_name("take_offline"), args=[obj.pk]),
            "buttons": self.workflow_buttons(request, obj),
            "waiting": obj.status == Article.Status.IN_REVIEW and not self.can_publish(request),
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj is not None:
            extra_context["workflow"] = self.workflow_context(request, obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def workflow_buttons(self, request, obj):
        """The workflow's buttons, drawn inside the change form: the text is saved first."""
        buttons = []
        if obj.status == Article.Status.DRAFT and self.has_change_permission(request, obj):
            buttons.append((ASK, _("Save and ask for medical review"), "default"))
        if obj.status == Article.Status.IN_REVIEW and self.can_publish(request):
            buttons.append((PUBLISH, _("Save and publish"), "default"))
            buttons.append((SEND_BACK, _("Send back to the author"), ""))
        return buttons

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        field = form.base_fields.get("review_note")
        if field is not None:
            field.widget = forms.Textarea(attrs={"rows": 3, "cols": 80})
        return form

    def response_change(self, request, obj):
        action = next((key for key in (ASK, PUBLISH, SEND_BACK) if key in request.POST), None)
        if action is None:
            return super().response_change(request, obj)
        change_url = reverse(self._url_name("change"), args=[obj.pk])
        if action == ASK:
            if obj.status != Article.Status.DRAFT or not self.has_change_permission(request, obj):
                raise PermissionDenied
            revisions.ask_for_review(obj, request.user)
            self.message_user(
                request,
                _("Sent to the medical reviewers, who are emailed. It is now “In review”."),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(change_url)
        if not self.can_publish(request) or obj.status != Article.Status.IN_REVIEW:
            raise PermissionDenied
        if action == SEND_BACK:
            revisions.send_back(obj, request.user, obj.review_note)
            self.message_user(
                request,
                _("Sent back to the author as a draft. They are emailed."),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(change_url)
        with transaction.atomic():
            live = revisions.publish(obj, request.user)
        if obj.is_revision and obj.status == Article.Status.SCHEDULED:
            self.message_user(
                request,
                _("The revision goes live at its publish time. The live page stays until then."),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(change_url)
        self.message_user(request, _("Published. Patients see it now."), messages.SUCCESS)
        return HttpResponseRedirect(reverse(self._url_name("change"), args=[live.pk]))
