"""An article's history: who changed what, and reverting to an earlier version, with the
links, sources and images that version had (conditions/relations.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .. import relations


class HistoryMixin:
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Reverting saves over the current article: it needs the right to change the article
        as it is now (django-simple-history itself only asks for the view permission)."""
        if request.method == "POST":
            current = self.get_object(request, object_id)
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
        missing = relations.restore(article, version.relations)
        relations.record(article)
        if missing:
            self.message_user(
                request,
                _("Restored, except: %(missing)s") % {"missing": " ".join(missing)},
                messages.WARNING,
            )

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
