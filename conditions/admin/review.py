"""Before publishing: the checklist, and what a draft changes in the live version."""

from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from .. import checklist, relations
from ..changes import changes_against, live_version


class ReviewMixin:
    @admin.display(description=_("before publishing"))
    def publish_checklist(self, obj):
        if obj is None or obj.pk is None:
            return _("Shown after the first save.")
        return render_to_string(
            "admin/conditions/includes/publish_checklist.html",
            {"items": checklist.publish_checklist(obj)},
        )

    def live_changes(self, obj):
        """The changes against the live version (cached on obj: asked for twice a page)."""
        if obj is None or obj.pk is None:
            return []
        if not hasattr(obj, "_live_changes"):
            live = live_version(obj)
            obj._live_changes = (live, changes_against(obj, live) if live else [])
            obj._relation_changes = []
            if obj.is_revision:  # and what it changes in links, sources and images
                obj._relation_changes = self.relation_changes(live, obj)
        return obj._live_changes[1] or obj._relation_changes

    def relation_changes(self, live, revision):
        names = {f.name: f.verbose_name for f in relations.link_fields(self.model)}
        names.update(sources=_("sources"), images=_("images"))
        return [
            (names[what], added, removed)
            for what, added, removed in relations.changes(
                relations.snapshot(live), relations.snapshot(revision)
            )
        ]

    @admin.display(description=_("changes"))
    def changes_since_live(self, obj):
        changes = self.live_changes(obj)
        if not changes:
            return _("None: this is the text last published.")
        return render_to_string(
            "admin/conditions/includes/live_changes.html",
            {
                "live": obj._live_changes[0],
                "changes": obj._live_changes[1],
                "relation_changes": obj._relation_changes,
                "article": obj,
            },
        )
