"""What an article's current text changes against its live version, section by section, in words.

The live version is the newest one in the article's history that was saved as published. The
words compared are the words a reader sees (readability.plain_text), so a change shows as the
words added and removed, not as Markdown signs; a change to formatting or link addresses alone
is named as such.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Article
from .readability import plain_text

LINE_BREAK = "\n"
# An unchanged run longer than this many words is shortened to its two ends.
KEEP_UNCHANGED = 24
UNCHANGED_ENDS = 8


def live_version(article):
    """The newest historical record saved as published, or None if it never was."""
    if article.pk is None:
        return None
    return (
        article.history.filter(status=Article.Status.PUBLISHED)
        .order_by("-history_date", "-history_id")
        .first()
    )


@dataclass
class Change:
    name: str
    heading: str
    kind: str  # "added", "removed", "changed" or "formatting"
    added: int  # words
    removed: int
    diff_html: str

    @property
    def summary(self):
        if self.kind == "added":
            return _("Added: this is empty in the live version.")
        if self.kind == "removed":
            return _("Removed: this is empty now, so readers will not see it.")
        if self.kind == "formatting":
            return _("Only formatting or link addresses changed; the words are the same.")
        added = ngettext("%(count)d word added", "%(count)d words added", self.added) % {
            "count": self.added
        }
        removed = ngettext("%(count)d removed", "%(count)d removed", self.removed) % {
            "count": self.removed
        }
        return _("Changed: %(added)s, %(removed)s.") % {"added": added, "removed": removed}


def words(text, markdown=True):
    """The words a reader sees, with a LINE_BREAK token between blocks."""
    lines = (plain_text(text) if markdown else text).splitlines()
    tokens = []
    for line in lines:
        if line.split():
            if tokens:
                tokens.append(LINE_BREAK)
            tokens += line.split()
    return tokens


def _render(tokens, shorten=False):
    if shorten and len(tokens) > KEEP_UNCHANGED:
        return format_html(
            "{} <span>{}</span> {}",
            _render(tokens[:UNCHANGED_ENDS]),
            _("[…]"),
            _render(tokens[-UNCHANGED_ENDS:]),
        )
    lines = [[]]
    for token in tokens:
        if token == LINE_BREAK:
            lines.append([])
        else:
            lines[-1].append(token)
    escaped = [conditional_escape(" ".join(line)) for line in lines]
    return mark_safe("<br>".join(escaped))  # noqa: S308 - every word escaped above


def word_diff(old, new):
    """(HTML, words added, words removed): `new` against `old`, both token lists."""
    matcher = SequenceMatcher(a=old, b=new, autojunk=False)
    parts = []
    added = removed = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(_render(old[i1:i2], shorten=True))
            continue
        if tag in ("delete", "replace"):
            removed += sum(1 for t in old[i1:i2] if t != LINE_BREAK)
            parts.append(
                format_html(
                    '<del class="app-diff__removed"><span class="app-visually-hidden">{} '
                    "</span>{}</del>",
                    _("Removed:"),
                    _render(old[i1:i2]),
                )
            )
        if tag in ("insert", "replace"):
            added += sum(1 for t in new[j1:j2] if t != LINE_BREAK)
            parts.append(
                format_html(
                    '<ins class="app-diff__added"><span class="app-visually-hidden">{} '
                    "</span>{}</ins>",
                    _("Added:"),
                    _render(new[j1:j2]),
                )
            )
    return mark_safe(" ".join(parts)), added, removed  # noqa: S308 - parts are built escaped


def changes_against(article, live):
    """The title, summary and sections of `article` that differ from `live`, in page order."""
    fields = [("title", _("Title"), False), ("summary", _("Summary"), False)]
    fields += [(name, heading, True) for name, heading in type(article).SECTIONS]
    changes = []
    for name, heading, markdown in fields:
        old_text = getattr(live, name, "") or ""
        new_text = getattr(article, name, "") or ""
        if old_text == new_text:
            continue
        old, new = words(old_text, markdown), words(new_text, markdown)
        diff, added, removed = word_diff(old, new)
        if old == new:
            kind = "formatting"
        elif not old:
            kind = "added"
        elif not new:
            kind = "removed"
        else:
            kind = "changed"
        changes.append(Change(name, heading, kind, added, removed, diff))
    return changes
