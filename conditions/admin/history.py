"""An article's history: who changed what, and reverting to an earlier version, with the
links, sources and images that version had (conditions/relations.py).

A live page is never reverted in place: going back to an earlier version of it puts that
version into the page's revision (started if there is none), as "Revise this page" would, and
patients keep the live page until a medical reviewer publishes the revision."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .. import relations, revisions


def form_problems(form):
    """A form's errors in one line of words: "Overview: the text is too long." """
    problems = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        words = " ".join(str(error) for error in errors)
        problems.append(f"{field.label}: {words}" if field is not None else words)
    return " ".join(problems)


class HistoryMixin:
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Reverting saves over the current article: it needs the right to change the article
        as it is now (django-simple-history itself only asks for the view permission). A live
        page's revert goes into its revision instead."""
        current = self.get_object(request, object_id)
        if current is not None and self._is_live_page(current):
            return self._live_history_form_view(
                request, current, object_id, version_id, extra_context
            )
        if request.method == "POST":
            if current is None or not self.has_change_permission(request, current):
                raise PermissionDenied
            with transaction.atomic():
                response = super().history_form_view(request, object_id, version_id, extra_context)
                if response.status_code == 302:  # reverted: now the relations of that version
                    self._restore_relations(request, current, version_id)
            return response
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _restore_relations(self, request, current, version_id):
        version = current.history.filter(history_id=version_id).first()
        if version is None:
            return
        article = self.model.with_revisions.get(pk=current.pk)
        self._restore_version_relations(request, article, version)

    def _restore_version_relations(self, request, article, version):
        missing = relations.restore(article, version.relations)
        relations.record(article)
        if missing:
            self.message_user(
                request,
                _("Restored, except: %(missing)s") % {"missing": " ".join(missing)},
                messages.WARNING,
            )

    # Reverting a live page -------------------------------------------------------------------

    def may_revert_into_revision(self, request, live):
        """Anyone who may revise the live page, while its revision (if any) is theirs to change:
        a revision waiting for a medical reviewer is changed only by one."""
        if not self.has_change_permission(request):
            return False
        revision = revisions.open_revision(live)
        return revision is None or self.has_change_permission(request, revision)

    def revert_disabled(self, request, obj=None):
        """The history's "Revert" button on a live page: shown to those who may put the old
        version into the page's revision (the page itself cannot be changed in place)."""
        if obj is not None and obj.pk is not None and self._is_stored_live(obj):
            if getattr(settings, "SIMPLE_HISTORY_REVERT_DISABLED", False):
                return True
            return not self.may_revert_into_revision(request, obj)
        return super().revert_disabled(request, obj)

    def _live_history_form_view(self, request, live, object_id, version_id, extra_context):
        version = get_object_or_404(live.history, history_id=version_id)
        if request.method != "POST":
            if self.may_revert_into_revision(request, live):
                self.message_user(
                    request,
                    _(
                        "This page is live, so reverting does not change it: this version "
                        "goes into the page's revision (replacing the text of one in "
                        "progress), and patients keep seeing the live page until a medical "
                        "reviewer publishes the revision. Its web address, language and "
                        "status stay those of the live page."
                    ),
                    messages.INFO,
                )
            return super().history_form_view(request, object_id, version_id, extra_context)
        if not self.may_revert_into_revision(request, live):
            raise PermissionDenied
        with transaction.atomic():
            revision, _created = self.start_revision(request, live)
            # The revision's own form: its web address, language, translation link and
            # status stay those of the live page whatever the history form posted.
            form_class = self.get_form(request, revision, change=True)
            form = form_class(request.POST, request.FILES, instance=revision)
            if not form.is_valid():
                transaction.set_rollback(True)
                self.message_user(
                    request,
                    _("Not reverted: %(problems)s") % {"problems": form_problems(form)},
                    messages.ERROR,
                )
                return HttpResponseRedirect(request.path)
            revision = self.save_form(request, form, change=True)
            then = timezone.localtime(version.history_date)
            revision._change_reason = f"Reverted to the version of {then:%Y-%m-%d %H:%M}"
            self.save_model(request, revision, form, change=True)
            form.save_m2m()
            self._restore_version_relations(request, revision, version)
            self.log_change(request, revision, self.construct_change_message(request, form, []))
        self.message_user(
            request,
            _(
                "The revision now holds the version saved %(when)s. Patients still see the "
                "live page, exactly as published, until a medical reviewer publishes the "
                "revision."
            )
            # A 24-hour time: "6:50 p.m." would end in a second full stop.
            % {"when": date_format(then, "j M Y, H:i")},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse(self._url_name("change"), args=[revision.pk]))

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """The history's "Changes" column, without the HTML rendered from the Markdown (it
        repeats each section change) and the automatic timestamp."""
        excluded = [f"{name}_html" for name, _heading in self.model.SECTIONS] + ["updated_at"]
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current,
                    excluded_fields=excluded,
                    foreign_keys_are_objs=foreign_keys_are_objs,
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current
