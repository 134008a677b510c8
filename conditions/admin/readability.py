"""Readability on the staff side: the list column, the report on the change page and the
warning on save. Every one of them says `readability.verdict` (or, in the list, the score
stored at save), so no two screens disagree."""

from django.contrib import admin, messages
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..readability import rules_for, verdict


class ReadabilityMixin:
    # English pages show the Flesch-Kincaid grade (target 8 or lower), Spanish pages the
    # Fernández-Huerta reading ease (target 70 or higher). Sorting puts the easiest first in
    # each language: a grade as it is, a reading ease turned round (higher is easier).
    @admin.display(
        description=_("readability"),
        ordering=Coalesce("reading_grade_score", Value(0.0) - F("reading_ease_score")),
    )
    def readability(self, obj):
        score = obj.reading_score
        if score is None:
            return "-"
        rules = rules_for(obj.language)
        shown = rules.shown(score)
        if not rules.within_target(score):
            return format_html(
                '<strong class="app-grade-warning">{} ({})</strong>',
                shown,
                _("outside %(target)s") % {"target": rules.target_text()},
            )
        if obj.reading_parts_outside:
            return format_html(
                '{} <strong class="app-grade-warning">({})</strong>',
                shown,
                ngettext(
                    "%(count)d part outside the target",
                    "%(count)d parts outside the target",
                    obj.reading_parts_outside,
                )
                % {"count": obj.reading_parts_outside},
            )
        return shown

    @admin.display(description=_("score"))
    def readability_report(self, obj):
        if obj is None or obj.pk is None:
            return _("Shown after the first save.")
        return render_to_string(
            "admin/conditions/includes/readability.html", {"verdict": verdict(obj)}
        )

    def warn_if_hard_to_read(self, request, obj):
        """After a save: the same verdict the change page and the checklist give."""
        result = verdict(obj)
        if result.whole is not None and not result.ok:
            self.message_user(
                request,
                _(
                    "Saved, but the page is hard to read. %(verdict)s Try shorter sentences "
                    "and everyday words."
                )
                % {"verdict": result.said()},
                messages.WARNING,
            )
