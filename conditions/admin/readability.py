"""Readability on the staff side: the list column, the report on the change page and the
warnings on save."""

from django.conf import settings
from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ..readability import (
    READING_EASE_TARGET,
    reading_ease_label,
    section_scores,
    within_reading_ease_target,
)


class ReadabilityMixin:
    # English pages show the Flesch-Kincaid grade (target 8 or lower), Spanish pages the
    # Fernández-Huerta reading ease (target 70 or higher), each scored when the page was saved.

    @admin.display(description=_("readability"), ordering="reading_grade_score")
    def reading_grade(self, obj):
        ease = obj.reading_ease_score
        if ease is not None:
            if within_reading_ease_target(ease):
                return reading_ease_label(ease)
            return format_html(
                '<strong class="app-grade-warning">{} ({})</strong>',
                reading_ease_label(ease),
                _("below %(target)d") % {"target": READING_EASE_TARGET},
            )
        grade = obj.reading_grade_score
        if grade is None:
            return "-"
        if grade > settings.READING_GRADE_LIMIT:
            return format_html(
                '<strong class="app-grade-warning">{} ({})</strong>',
                f"{grade:.1f}",
                _("above %(limit)d") % {"limit": settings.READING_GRADE_LIMIT},
            )
        return f"{grade:.1f}"

    @admin.display(description=_("score"))
    def reading_grade_report(self, obj):
        if obj is None or obj.pk is None:
            return _("Shown after the first save.")
        if obj.reading_ease_score is not None:
            return self.reading_ease_report(obj)
        limit = settings.READING_GRADE_LIMIT
        grade = obj.reading_grade_score or 0.0
        headings = {"summary": _("Summary"), **dict(self.model.SECTIONS)}
        too_hard = [
            (headings[name], f"{value:.1f}")
            for name, value in section_scores(obj).items()
            if value > limit
        ]
        if grade <= limit and not too_hard:
            return format_html(
                "{} {}",
                f"{grade:.1f}.",
                _("Within the target of grade %(limit)d or lower.") % {"limit": limit},
            )
        return format_html(
            '<strong class="app-grade-warning">{}</strong>{}',
            _(
                "Warning: reading grade %(grade).1f. The target is grade %(limit)d or lower: "
                "use short sentences and everyday words, and explain each medical term."
            )
            % {"grade": grade, "limit": limit},
            format_html(
                "<br>{} {}",
                _("Sections above the target:"),
                format_html_join(", ", "{} ({})", too_hard),
            )
            if too_hard
            else "",
        )

    def reading_ease_report(self, obj):
        """A Spanish page's reading ease, and each part of it below the target."""
        ease = obj.reading_ease_score
        headings = {"summary": _("Summary"), **dict(self.model.SECTIONS)}
        too_hard = [
            (headings[name], reading_ease_label(value))
            for name, value in section_scores(obj).items()
            if not within_reading_ease_target(value)
        ]
        if within_reading_ease_target(ease) and not too_hard:
            return format_html(
                "{}. {}",
                reading_ease_label(ease),
                _("Within the target of %(target)d or higher.") % {"target": READING_EASE_TARGET},
            )
        return format_html(
            '<strong class="app-grade-warning">{}</strong>{}',
            _(
                "Warning: reading ease %(score)s. The target is %(target)d or higher: use short "
                "sentences and everyday words, and explain each medical term."
            )
            % {"score": reading_ease_label(ease), "target": READING_EASE_TARGET},
            format_html(
                "<br>{} {}",
                _("Sections below the target:"),
                format_html_join(", ", "{} ({})", too_hard),
            )
            if too_hard
            else "",
        )
