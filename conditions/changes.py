"""What an article's current text changes against its live version, section by section, in words.

The live version is the newest one in the article's history that was saved as published. The
words compared are the words a reader sees (readability.plain_text), so a change shows as the
words added and removed, not as Markdown signs; a change to formatting or link addresses alone
is named as such.

The comparison is bounded. difflib's matcher compares each word with every equal word of the
other version, again at each level of its search: on text of many repeated words that grows
faster than the square of its length (20,000 characters took 6 to 25 s). So it gets a budget of
steps (`DIFF_BUDGET`, about a fifth of a second); past it, the words both versions start and
end with are set aside and the rest compared again within a budget as large, and past that, the
part in between is shown whole, as removed and then added: at most two budgets per section.
Ordinary edits never come near it (`bench/editor_input.py` measures both).
"""

from bisect import bisect_left
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
# Steps of the matcher (a word looked up, or compared with an equal word of the other version)
# before it gives up: 0.1 to 0.4 s here, depending on the load. A section at the length limit
# (3,700 words) with every seventh word changed takes 1.9 million; 200 repeated words against
# 200 others take 1.5 million, 400 take 12 million.
DIFF_BUDGET = 2_000_000


def live_version(article):
    """The newest historical record saved as published, or None if it never was; for a
    revision, its live page as it is now."""
    if article.pk is None:
        return None
    if article.revision_of_id is not None:
        return article.revision_of
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


class OverBudget(Exception):
    """The comparison would take more steps than it was given."""


class BoundedMatcher(SequenceMatcher):
    """difflib's matcher, with the same results, that raises OverBudget instead of taking more
    than `budget` steps.

    Each search for the longest match in a[alo:ahi] and b[blo:bhi] looks up every word of
    a[alo:ahi] and walks the sorted list of its places in b up to bhi: that many steps are
    counted (by bisection) and charged before the search runs.
    """

    def __init__(self, a, b, budget):
        super().__init__(a=a, b=b, autojunk=False)
        self.budget = budget

    def find_longest_match(self, alo=0, ahi=None, blo=0, bhi=None):
        ahi = len(self.a) if ahi is None else ahi
        bhi = len(self.b) if bhi is None else bhi
        steps = 1 + ahi - alo
        places = self.b2j
        for word in self.a[alo:ahi]:
            if found := places.get(word):
                steps += bisect_left(found, bhi)
        self.budget -= steps
        if self.budget < 0:
            raise OverBudget
        return super().find_longest_match(alo, ahi, blo, bhi)


def common_ends(old, new):
    """How many tokens `old` and `new` share at their start, and then at their end."""
    limit = min(len(old), len(new))
    start = 0
    while start < limit and old[start] == new[start]:
        start += 1
    end = 0
    while end < limit - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return start, end


def opcodes(old, new, budget=DIFF_BUDGET):
    """(difflib's opcodes for `old` -> `new`, True) when they come within `budget`; else the
    shared start and end as equal and the part between compared again, or shown as replaced
    whole (or deleted, or inserted), and False."""
    try:
        return BoundedMatcher(old, new, budget).get_opcodes(), True
    except OverBudget:
        pass
    start, end = common_ends(old, new)
    old_end, new_end = len(old) - end, len(new) - end
    try:
        if not start and not end:
            raise OverBudget  # the same comparison again would fail the same way
        middle = BoundedMatcher(old[start:old_end], new[start:new_end], budget).get_opcodes()
        middle = [(tag, i1 + start, i2 + start, j1 + start, j2 + start)
                  for tag, i1, i2, j1, j2 in middle]  # fmt: skip
        exact = True
    except OverBudget:
        exact = False
        tag = "replace" if start < old_end and start < new_end else "delete"
        if start == old_end:
            tag = "insert"
        middle = [(tag, start, old_end, start, new_end)]
    ops = [("equal", 0, start, 0, start)] if start else []
    ops += [op for op in middle if op[1] < op[2] or op[3] < op[4]]
    if end:
        ops.append(("equal", old_end, len(old), new_end, len(new)))
    return ops, exact


def word_diff(old, new):
    """(HTML, words added, words removed): `new` against `old`, both token lists."""
    ops, exact = opcodes(old, new)
    parts = []
    if not exact:
        parts.append(
            format_html(
                '<span class="app-diff__note">{}</span>',
                _("Too many changes to show word by word: the changed part is shown whole."),
            )
        )
    added = removed = 0
    for tag, i1, i2, j1, j2 in ops:
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
