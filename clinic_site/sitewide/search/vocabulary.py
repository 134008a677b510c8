"""What search knows about the words of each language, kept in each worker's memory.

The synonym list, the words of titles and "also called" terms (for "did you mean"), and the
labels suggestions are drawn from. Rebuilt when the content version changes (any write to
public content, the synonyms included: clinic_site/core/pagecache) or the next scheduled page goes
live, so a hit costs the one primary-key read of the version.
"""

import bisect
import difflib
import itertools
import threading
from dataclasses import dataclass

from django.db.models import Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic_site.core.pagecache.models import content_version
from clinic_site.core.text import nonblank_lines

from . import query_text
from .models import SearchEntry, Synonym

URL_NAMES = {
    "condition": "conditions:detail",
    "treatment": "conditions:treatment",
    "guide": "conditions:guide",
}
KIND_LABELS = {
    "condition": _("Condition"),
    "treatment": _("Treatment"),
    "guide": _("Guide"),
    "urgentadvice": _("Urgent help"),
}
MAX_SUGGESTIONS = 8


def entry_url(kind, slug):
    if kind == "urgentadvice":
        return reverse("pages:urgent")
    return reverse(URL_NAMES[kind], kwargs={"slug": slug})


def kind_label(kind):
    return KIND_LABELS.get(kind, "")


@dataclass(frozen=True)
class Label:
    folded: str
    text: str  # what the suggestion shows: a title, or an "also called" term
    title: str  # the page it leads to
    url: str


class Vocabulary:
    def __init__(self, language, synonyms, labels):
        self.language = language
        # (the stems of the patient's words, the terms to search for)
        self.synonyms = [
            (
                frozenset(query_text.stem(w, language) for w in query_text.words(words, language)),
                terms,
            )
            for words, terms in synonyms
        ]
        self.labels = labels
        # (word, label index), sorted: the suggestions' index.
        self.words = sorted(
            (word, index)
            for index, label in enumerate(labels)
            for word in set(query_text.WORD.findall(label.folded))
        )
        known = set()
        for label in labels:
            known.update(query_text.WORD.findall(label.folded))
        for words, terms in synonyms:
            known.update(query_text.WORD.findall(query_text.fold(words + " " + " ".join(terms))))
        self.known = sorted(w for w in known if len(w) > 2 and not w.isdigit())
        self.known_set = set(self.known)

    def synonym_terms(self, words):
        """The terms of every synonym whose words are all in the query (any order, stemmed)."""
        query_stems = {query_text.stem(w, self.language) for w in words}
        found = []
        for stems, terms in self.synonyms:
            if stems and stems <= query_stems:
                found += [t for t in terms if t not in found]
        return found

    def did_you_mean(self, words, query):
        """The query with each unknown word replaced by the closest known one, or ""."""
        changed = False
        corrected = []
        for word in query_text.WORD.findall(query_text.fold(query)):
            if word in words and len(word) > 3 and word not in self.known_set:
                close = difflib.get_close_matches(word, self.known, n=1, cutoff=0.75)
                if close:
                    corrected.append(close[0])
                    changed = True
                    continue
            corrected.append(word)
        return " ".join(corrected) if changed else ""

    def suggestions(self, query):
        """Titles and "also called" terms with a word starting with each typed word.

        The labels' words are kept sorted, so the labels holding a word that starts with the
        longest typed word are found by bisection, whatever the number of labels; they come
        in the order of that word, then of the titles.
        """
        typed = query_text.WORD.findall(query_text.fold(query))
        if not typed:
            return []
        longest = max(typed, key=len)
        start = bisect.bisect_left(self.words, (longest,))
        found, seen = [], set()
        for word, index in itertools.islice(self.words, start, None):
            if not word.startswith(longest) or len(found) == MAX_SUGGESTIONS:
                break
            label = self.labels[index]
            if (label.text, label.url) in seen:
                continue
            label_words = query_text.WORD.findall(label.folded)
            if all(any(lw.startswith(t) for lw in label_words) for t in typed):
                seen.add((label.text, label.url))
                found.append(label)
        return found


class _Store:
    def __init__(self):
        self.lock = threading.Lock()
        self.entries = {}  # language → (version, expires, Vocabulary)


_store = _Store()


def clear():
    with _store.lock:
        _store.entries.clear()


def vocabulary(language):
    version = content_version()
    now = timezone.now()
    stored = _store.entries.get(language)
    if stored and stored[0] == version and (stored[1] is None or now < stored[1]):
        return stored[2]
    vocab, expires = _build(language, now)
    with _store.lock:
        _store.entries[language] = (version, expires, vocab)
    return vocab


def _url_maker():
    """entry_url, with each kind's address reversed once (a reverse per row is slow)."""
    placeholder = "slug-placeholder"
    patterns = {kind: entry_url(kind, placeholder) for kind in URL_NAMES}
    urgent = entry_url("urgentadvice", "")
    return lambda kind, slug: (
        urgent if kind == "urgentadvice" else patterns[kind].replace(placeholder, slug)
    )


def _build(language, now):
    live = SearchEntry.objects.filter(language=language, status="published", publish_at__lte=now)
    url_for = _url_maker()
    labels = []
    for kind, slug, title, also_called in live.order_by("title").values_list(
        "kind", "slug", "title", "also_called"
    ):
        url = url_for(kind, slug)
        if kind == "urgentadvice":
            title = str(KIND_LABELS[kind])
        labels.append(Label(query_text.fold(title), title, title, url))
        labels += [Label(query_text.fold(t), t, title, url) for t in nonblank_lines(also_called)]
    synonyms = [
        (words, nonblank_lines(terms))
        for words, terms in Synonym.objects.filter(language=language).values_list("words", "terms")
    ]
    expires = (
        SearchEntry.objects.filter(publish_at__gt=now)
        .exclude(status="draft")
        .aggregate(next=Min("publish_at"))["next"]
    )
    return Vocabulary(language, synonyms, labels), expires
