"""The publish checklist: what a medical reviewer should see in place before an article goes live.

Each item is checked or missing. Missing items warn; they never stop a reviewer from
publishing, and publishing with warnings is written into the article's history as the reason
for that change (`change_reason`).
"""

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clinic_site.core.language import ENGLISH, SPANISH

from .links import article_links
from .models import Article
from .readability import verdict
from .translations import is_out_of_date

# A summary shows in lists and search results: long enough to say what the page is about,
# short enough for a few lines on a phone (search engines cut page descriptions near 160).
SUMMARY_MIN_CHARS = 50
SUMMARY_MAX_CHARS = 200


@dataclass(frozen=True)
class Item:
    key: str
    label: str  # what is checked
    ok: bool
    detail: str  # the state in words
    warning: str = ""  # a few words for the history when missing: "no source"
    at_publish: bool = False  # done by publishing itself: nothing for anyone to add


# The Spanish version's state, as spanish_version_state() names it.
SPANISH_STATES = {
    "none": (False, _("No Spanish version yet."), _("no Spanish version")),
    "draft": (False, _("The Spanish version is a draft."), _("Spanish version is a draft")),
    "outdated": (
        False,
        _("The English text changed after the Spanish version was last marked in line with it."),
        _("Spanish version out of date"),
    ),
    "published": (True, _("The Spanish version is published."), ""),
}


def spanish_version_state(article):
    """ "none", "draft", "outdated" or "published": the Spanish version of an English article.

    "outdated": published, but the English text changed since it was last marked in line.
    """
    if article.pk is None:
        return "none"
    rows = list(article.translations.filter(language=SPANISH))
    if not rows:
        return "none"
    published = [row for row in rows if row.is_published]
    if not published:
        return "draft"
    for row in published:
        row.translation_of = article  # no query per row
    if any(is_out_of_date(row) for row in published):
        return "outdated"
    return "published"


def publish_checklist(article):
    """The checklist for a saved article (its sources and images are read from the database)."""
    items = [
        reviewer_item(article),
        sources_item(article),
        images_item(article),
        links_item(article),
        summary_item(article),
        reading_item(article),
    ]
    if article.language == ENGLISH:
        ok, detail, warning = SPANISH_STATES[spanish_version_state(article)]
        items.append(Item("spanish", _("Spanish version"), ok, detail, warning))
    return items


def reviewer_item(article):
    """Nobody types the sign-off: publishing stamps the reviewer's name and credentials from
    their staff account, and the review date (revisions.stamp_review). So it is missing only
    from a page published without it (before the stamp, or loaded from files)."""
    label = _("Medical reviewer and review date")
    if article.status not in (Article.Status.PUBLISHED, Article.Status.SCHEDULED):
        return Item(
            "review",
            label,
            True,
            _(
                "Stamped when a medical reviewer publishes: their name and credentials from "
                "their staff account, and the review date."
            ),
            at_publish=True,
        )
    missing = []
    if not article.reviewed_by.strip():
        missing.append(_("the reviewer's name"))
    if not article.last_reviewed_on:
        missing.append(_("the review date"))
    if not missing:
        return Item(
            "review",
            label,
            True,
            _("Reviewed by %(name)s on %(date)s.")
            % {"name": article.reviewed_by, "date": date_format(article.last_reviewed_on)},
        )
    return Item(
        "review",
        label,
        False,
        _(
            "Published without %(what)s. A medical reviewer's publish stamps them: revise the "
            "page and have it published again."
        )
        % {"what": _(" and ").join(str(m) for m in missing)},
        _("no reviewer or review date"),
    )


def sources_item(article):
    count = article.references.count()
    label = _("At least one source")
    if count:
        detail = ngettext("%(count)d source.", "%(count)d sources.", count) % {"count": count}
        return Item("sources", label, True, detail)
    return Item("sources", label, False, _("No source listed."), _("no source"))


def images_item(article):
    images = list(article.images.all())
    label = _("Alt text on every image")
    without = [image for image in images if not image.alt.strip()]
    if not images:
        return Item("alt", label, True, _("No images."))
    if not without:
        detail = ngettext(
            "The image has alt text.", "All %(count)d images have alt text.", len(images)
        ) % {"count": len(images)}
        return Item("alt", label, True, detail)
    warning = ngettext(
        "%(count)d image without alt text", "%(count)d images without alt text", len(without)
    ) % {"count": len(without)}
    return Item("alt", label, False, f"{str(warning).capitalize()}.", warning)


def links_item(article):
    """Links to our own pages that a reader could not open: a page not published (a draft, or
    scheduled for later) or gone (no page at that address any more)."""
    label = _("Links to our pages lead to published pages")
    links = article_links(article)
    broken = [link for link in links if link.is_unpublished or link.is_gone]
    if not broken:
        if not links:
            return Item("links", label, True, _("No links to our pages."))
        detail = ngettext(
            "The link to our page leads to a published page.",
            "All %(count)d links to our pages lead to published pages.",
            len(links),
        ) % {"count": len(links)}
        return Item("links", label, True, detail)
    parts = []
    for link in broken:
        if link.is_gone:
            parts.append(_("%(address)s: no page at this address") % {"address": link.path})
        else:
            parts.append(
                _("“%(title)s” (%(address)s): not published")
                % {"title": link.article.title, "address": link.path}
            )
    warning = ngettext(
        "%(count)d link to a page not published",
        "%(count)d links to pages not published",
        len(broken),
    ) % {"count": len(broken)}
    return Item("links", label, False, "; ".join(str(p) for p in parts) + ".", warning)


def summary_item(article):
    length = len(article.summary.strip())
    label = _("Summary of %(min)d to %(max)d characters") % {
        "min": SUMMARY_MIN_CHARS,
        "max": SUMMARY_MAX_CHARS,
    }
    detail = ngettext("%(count)d character.", "%(count)d characters.", length) % {"count": length}
    if not length:
        return Item("summary", label, False, _("No summary."), _("no summary"))
    if length < SUMMARY_MIN_CHARS:
        return Item("summary", label, False, detail, _("summary too short"))
    if length > SUMMARY_MAX_CHARS:
        return Item("summary", label, False, detail, _("summary too long"))
    return Item("summary", label, True, detail)


def reading_item(article):
    """The change page's readability verdict (readability.verdict), as a checklist item."""
    result = verdict(article)
    label = _("%(measure)s within the target of %(target)s, on the whole page and every part") % {
        "measure": result.rules.score_label,
        "target": result.target_text,
    }
    if result.whole is None:
        return Item("reading", label, False, _("Nothing written yet."), _("no text"))
    if result.ok:
        return Item("reading", label, True, result.said())
    outside = [part.heading for part in result.outside]
    if not result.whole.ok:
        outside.insert(0, result.whole.heading)
    warning = _("hard to read (%(score)s): %(parts)s") % {
        "score": result.whole.shown,
        "parts": ", ".join(outside),
    }
    return Item("reading", label, False, result.said(), warning)


def missing(items):
    return [item for item in items if not item.ok]


def change_reason(items):
    """The history's reason for publishing: the warnings the reviewer published despite."""
    warnings = missing(items)
    if not warnings:
        return str(_("Published with the checklist complete"))
    head = ngettext(
        "Published with %(count)d checklist warning",
        "Published with %(count)d checklist warnings",
        len(warnings),
    ) % {"count": len(warnings)}
    return f"{head}: {', '.join(str(item.warning) for item in warnings)}"
