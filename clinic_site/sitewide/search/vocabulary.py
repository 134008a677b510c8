"""What search knows about the words of each language: built when content changes, never on a
reader's request.

The synonym list, the words of titles and "also called" terms (for "did you mean"), and the
labels suggestions are drawn from are built by the task worker (`refresh_vocabulary`,
tasks.py), queued by every save and delete of an article or a synonym (apps.py), after every
`migrate`, and for the time the next scheduled page goes live; each language's is stored as a
row of `SearchVocabulary`. That row is public content: writing it gives the content version a
new value (clinic_site/core/pagecache), so every worker loads the new row (one query, no building)
on its next search; until then, and between changes, a search costs no query for it.

Which pages are live, where each lives and what the urgent advice is come from the article
models' own rules (`published()`, `get_absolute_url()`, `newest_first()`), not restated here.
"""

import bisect
import difflib
import threading
from dataclasses import dataclass, fields
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from clinic_site.core.language import activation_code
from clinic_site.core.pagecache.listener import current_version
from clinic_site.core.pagecache.models import ContentVersion
from clinic_site.core.text import nonblank_lines
from conditions.models import ARTICLE_MODELS, UrgentAdvice

from . import query_text
from .models import SearchVocabulary, Synonym

KIND_LABELS = {
    "condition": _("Condition"),
    "treatment": _("Treatment"),
    "guide": _("Guide"),
    "urgentadvice": _("Urgent help"),
}
MAX_SUGGESTIONS = 8
MODELS = {model._meta.model_name: model for model in ARTICLE_MODELS}


URL_PLACEHOLDER = "slug-placeholder"


def url_maker(language):
    """`url(kind, slug)`: a page's address as its model's get_absolute_url() gives it, with
    each kind's address made once per process (a reverse per row is slow)."""
    patterns = _url_patterns(language, get_script_prefix(), get_urlconf())
    return lambda kind, slug: patterns[kind].replace(URL_PLACEHOLDER, slug)


@lru_cache(maxsize=16)
def _url_patterns(language, script_prefix, urlconf):
    """Each kind's address with a placeholder slug: the prefix and URLconf, which decide the
    addresses, are part of the key and not used otherwise."""
    return {
        kind: model(slug=URL_PLACEHOLDER, language=language).get_absolute_url()
        for kind, model in MODELS.items()
    }


def kind_label(kind):
    return KIND_LABELS.get(kind, "")


@dataclass(frozen=True)
class Label:
    folded: str
    text: str  # what the suggestion shows: a title, or an "also called" term
    title: str  # the page it leads to
    url: str


# How a language's labels are stored and held: one list per field, and the labels' words,
# sorted, beside the index of the label each comes from. Flat lists of strings and numbers
# decode from JSON about three times faster than a list per label and per word, and nothing is
# made per label until a suggestion shows it: at 10,000 pages (70,000 labels, 260,000 words)
# the first suggestion after a change loaded them in 680 ms as lists per label.
LABEL_FIELDS = [f.name for f in fields(Label)]
COLUMNS_FORMAT = 2


def label_columns(labels):
    """`labels` as stored: a list per field, and the sorted words with their labels' index."""
    pairs = sorted(
        (word, index)
        for index, label in enumerate(labels)
        for word in set(query_text.WORD.findall(label.folded))
    )
    return {
        "format": COLUMNS_FORMAT,
        **{name: [getattr(label, name) for label in labels] for name in LABEL_FIELDS},
        "words": [word for word, _index in pairs],
        "label_of_word": [index for _word, index in pairs],
    }


def _stored_columns(stored):
    """What the loader read, as columns. A row stored in the earlier shape (a list per label)
    is converted: migrate queues a rebuild, and until the worker has run it, suggestions work."""
    if not stored:
        return label_columns([])
    if stored.get("format") == COLUMNS_FORMAT:
        return stored
    return label_columns([Label(*label) for label in stored["labels"]])


class Vocabulary:
    def __init__(self, language, synonyms, labels=None, known=None, loader=None):
        """`known` is worked out from the rest unless given (as stored). With a `loader`
        instead of labels, the labels (for suggestions only, and the largest part) are read by
        calling it, the first time a suggestion needs them."""
        self.language = language
        self.synonym_list = synonyms
        # (the stems of the patient's words, the terms to search for)
        self.synonyms = [
            (
                frozenset(query_text.stem(w, language) for w in query_text.words(words, language)),
                terms,
            )
            for words, terms in synonyms
        ]
        self._columns, self._loader = None, loader
        if labels is not None:
            self._columns = label_columns(labels)
        if known is None:
            found = set(self.columns["words"])
            for words_, terms in synonyms:
                found.update(
                    query_text.WORD.findall(query_text.fold(words_ + " " + " ".join(terms)))
                )
            known = sorted(w for w in found if len(w) > 2 and not w.isdigit())
        self.known = known
        self.known_set = set(known)

    @property
    def columns(self):
        if self._columns is None:
            self._columns = _stored_columns(self._loader())
        return self._columns

    def label(self, index):
        return Label(*(self.columns[name][index] for name in LABEL_FIELDS))

    def to_data(self):
        """What SearchVocabulary stores, worked out, as JSON: what a search needs, and what
        only suggestions need."""
        return {
            "synonyms": [[words, terms] for words, terms in self.synonym_list],
            "known": self.known,
        }, self.columns

    @classmethod
    def from_data(cls, language, data, loader):
        synonyms = [(words, terms) for words, terms in data["synonyms"]]
        return cls(language, synonyms, known=data["known"], loader=loader)

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
        columns = self.columns
        words, label_of_word = columns["words"], columns["label_of_word"]
        found, seen = [], set()
        for position in range(bisect.bisect_left(words, longest), len(words)):
            if not words[position].startswith(longest) or len(found) == MAX_SUGGESTIONS:
                break
            index = label_of_word[position]
            shown = (columns["text"][index], columns["url"][index])
            if shown in seen:
                continue
            label_words = query_text.WORD.findall(columns["folded"][index])
            if all(any(lw.startswith(t) for lw in label_words) for t in typed):
                seen.add(shown)
                found.append(self.label(index))
        return found


class _Store:
    def __init__(self):
        self.lock = threading.Lock()
        self.entries = {}  # language → (content version, Vocabulary)


_store = _Store()


def clear():
    with _store.lock:
        _store.entries.clear()


def vocabulary(language):
    """The stored vocabulary of `language`: from this worker's memory while the content
    version is unchanged, else loaded (one query). Never built here."""
    version = current_version()
    stored = _store.entries.get(language)
    if stored and stored[0] == version:
        return stored[1]
    row = SearchVocabulary.objects.filter(language=language)
    data = row.values_list("data", flat=True).first()
    if data:
        vocab = Vocabulary.from_data(
            language, data, loader=row.values_list("suggestions", flat=True).first
        )
    else:
        vocab = Vocabulary(language, [], [])
    with _store.lock:
        _store.entries[language] = (version, vocab)
    return vocab


def build(language):
    """The vocabulary of `language` from the live pages and the synonym list."""
    url = url_maker(language)
    labels = []
    with translation.override(activation_code(language)):
        for kind, model in MODELS.items():
            if model is UrgentAdvice:
                continue
            live = model.objects.published().in_language(language).order_by()
            for slug, title, also_called in live.values_list("slug", "title", "also_called"):
                labels.append(Label(query_text.fold(title), title, title, url(kind, slug)))
                labels += [
                    Label(query_text.fold(t), t, title, url(kind, slug))
                    for t in nonblank_lines(also_called)
                ]
        # The urgent advice is suggested by what the page is called, not by its title.
        advice = UrgentAdvice.objects.published().in_language(language).newest_first().first()
        if advice is not None:
            label = str(KIND_LABELS["urgentadvice"])
            labels.append(Label(query_text.fold(label), label, label, advice.get_absolute_url()))
            labels += [
                Label(query_text.fold(t), t, label, advice.get_absolute_url())
                for t in nonblank_lines(advice.also_called)
            ]
    labels.sort(key=lambda label: label.title)
    synonyms = [
        (words, nonblank_lines(terms))
        for words, terms in Synonym.objects.filter(language=language).values_list("words", "terms")
    ]
    return Vocabulary(language, synonyms, labels)


def refresh():
    """Builds and stores every language's vocabulary (the task worker runs it). Returns the
    time the next scheduled page goes live, when it must run again, or None."""
    built = {language: build(language).to_data() for language, _name in settings.LANGUAGES}
    with transaction.atomic():
        # The content version's row first, as every other write of public content locks it
        # (its triggers) before anything else: two writers never wait on each other in turn.
        list(ContentVersion.objects.select_for_update().filter(pk=1))
        for language, (data, suggestions) in built.items():
            SearchVocabulary.objects.update_or_create(
                language=language, defaults={"data": data, "suggestions": suggestions}
            )
    now = timezone.now()
    times = [
        model.objects.filter(publish_at__gt=now).exclude(status=model.Status.DRAFT)
        .order_by("publish_at").values_list("publish_at", flat=True).first()
        for model in ARTICLE_MODELS
    ]  # fmt: skip
    return min((t for t in times if t is not None), default=None)
