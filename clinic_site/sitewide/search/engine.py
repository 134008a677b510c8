"""Site search: one small interface, two backends chosen by the database vendor.

`search(query, language)` answers with the published pages of that language that match,
best first, each with a passage where the words are highlighted.

- **SQLite** (the embedded default): FTS5, ranked by bm25 with the title and "also called"
  terms weighed above the summary and the body. English is stemmed by FTS5's porter
  tokenizer; Spanish is indexed with accents folded and searched by Snowball stems as
  prefixes ("inyecciones" → `inyeccion*`), since FTS5 tokenizers cannot be written in
  Python.
- **PostgreSQL** (production): `django.contrib.postgres.search`, a weighted tsvector kept by
  a trigger, the `english` configuration or `clinic_spanish` (unaccent, then Spanish
  stemming), ranked by SearchRank.

Why not django-modelsearch (the maintained successor of Wagtail's search): its SQLite backend
does not stem ("buttocks" would not find "buttock") and its fuzzy matching is PostgreSQL-only,
while the site must search well on both databases. Both backends here are the databases' own
full-text search, kept current by triggers (triggers.py), with no index job to run.

Words patients use are widened by the editors' synonym list; misspellings get a "did you
mean" from the titles, "also called" terms and synonyms (vocabulary.py).
"""

from dataclasses import dataclass, field
from functools import lru_cache

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import BooleanField, DateTimeField, F, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic_site.core.text import nonblank_lines
from conditions.models import UrgentAdvice, published_q

from . import query_text
from .models import SearchEntry
from .triggers import FTS_TABLES, PG_CONFIGS
from .vocabulary import kind_label, url_maker, vocabulary

URGENT_ADVICE = UrgentAdvice._meta.model_name

# The best ten: what a phone shows in a few screens, each with its passage. A patient who needs
# more is asked to add a word; each hit shown costs a passage and its markup (bench part E).
MAX_RESULTS = 10
# bm25 column weights (SQLite): title, also called, summary, body.
FTS_WEIGHTS = (10.0, 8.0, 3.0, 1.0)
# SearchRank weights (PostgreSQL), for D, C, B, A: body C, summary B, title and also-called A.
PG_WEIGHTS = [0.05, 0.2, 0.4, 1.0]


@dataclass
class Hit:
    title: str
    url: str
    summary: str
    kind: str
    passage: str


@dataclass
class Results:
    query: str
    hits: list = field(default_factory=list)
    count: int = 0
    did_you_mean: str = ""


def search(query, language):
    """The published pages of `language` that match `query`, best first.

    Raises query_text.QueryTooLong for a query past query_text.MAX_QUERY_LENGTH characters. Queries
    per call: one (the content version) plus one search, whatever the amount of content.
    """
    query = query_text.clean(query)
    words = query_text.words(query, language)
    results = Results(query=query)
    if not words:
        return results
    vocab = vocabulary(language)
    phrases = vocab.synonym_terms(words)
    backend = PostgresBackend if connection.vendor == "postgresql" else SqliteBackend
    entries, count = backend.run(words, phrases, language)
    named = {query_text.stem(w, language) for w in words}
    entries.sort(key=lambda entry: title_match(entry.title, query, named, language))
    wanted = set(named)
    for phrase in phrases:
        wanted |= query_text.stems(phrase, language)
    results.count = count
    url = url_maker(language)
    results.hits = [
        Hit(
            title=entry.title,
            url=url(entry.kind, entry.slug),
            summary=entry.summary,
            kind=kind_label(entry.kind),
            passage=query_text.passage(entry.body, wanted, language)
            or query_text.passage(also_called_line(entry.also_called), wanted, language),
        )
        for entry in entries
    ]
    results.did_you_mean = vocab.did_you_mean(words, query)
    return results


# Stands for the moment of each search in live_condition's SQL, which is built once.
SEARCH_TIME = object()


def live_entries(language, now):
    """The index's rows of the pages the public may see in `language` at `now`, by the article
    models' own rules: the publication rule (`published_q`, on the two fields each row copies),
    and of the urgent advice only the version patients see (`newest_first`)."""
    current_advice = (
        UrgentAdvice.objects.published(now).in_language(language).newest_first().values("pk")
    )[:1]
    return SearchEntry.objects.filter(published_q(now), language=language).filter(
        ~Q(kind=URGENT_ADVICE) | Q(article_id__in=current_advice)
    )


def live_condition(language):
    """`live_entries`' condition now, as SQL on the index's table, and its parameters."""
    sql, params = _live_condition(language)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    return sql, [now if param is SEARCH_TIME else param for param in params]


@lru_cache(maxsize=8)
def _live_condition(language):
    """Built once per process and language, the time left as a parameter: building it from the
    querysets on each search took a third of a search's own time."""
    placeholder = RawSQL("%s", (SEARCH_TIME,), output_field=DateTimeField())
    query = live_entries(language, now=placeholder).query
    return query.get_compiler(using=DEFAULT_DB_ALIAS).compile(query.where)


def title_match(title, query, named, language):
    """0 for a page whose title is what the reader typed, 1 for one whose title holds the stem
    of every word of it (`named`, stemmed once per search), 2 otherwise: a sort key that lifts
    the page a reader named above pages that mention it often (bm25 and SearchRank reward
    repetition, not naming). Stable: within each group the database's ranking stands."""
    if query_text.fold(title) == query_text.fold(query):
        return 0
    return 1 if named <= query_text.stems(title, language) else 2


def also_called_line(also_called):
    terms = nonblank_lines(also_called)
    return f"{_('Also called:')} {', '.join(terms)}" if terms else ""


class SqliteBackend:
    @staticmethod
    def match(words, phrases, language):
        """An FTS5 query of OR'd quoted strings: user text never reaches FTS5 syntax (each
        word is letters and digits only, and quoted)."""
        if language == "es":
            # Snowball stems as prefixes: the index folds accents but does not stem. The word
            # itself too: a stem may rewrite the ending ("radiofrecuencia" → "radiofrecuent").
            terms = [f'"{query_text.stem(w, language)}"*' for w in words]
            terms += [f'"{w}"*' for w in words if not w.startswith(query_text.stem(w, language))]
            for phrase in phrases:
                stems = [query_text.stem(w, language) for w in query_text.words(phrase, language)]
                if stems:
                    terms.append("(" + " AND ".join(f'"{s}"*' for s in stems) + ")")
        else:
            terms = [f'"{w}"' for w in words]
            for phrase in phrases:
                phrase_words = query_text.WORD.findall(query_text.fold(phrase))
                if phrase_words:
                    terms.append('"' + " ".join(phrase_words) + '"')
        return " OR ".join(terms)

    @classmethod
    def run(cls, words, phrases, language):
        fts = FTS_TABLES["es" if language == "es" else "en"][0]
        entry = SearchEntry._meta.db_table
        live, live_params = live_condition(language)
        weights = ", ".join(str(w) for w in FTS_WEIGHTS)
        # Ranks and counts on ids alone; only the page of results reads the rows, whose
        # bodies are long.
        sql = f"""
            WITH matched AS MATERIALIZED (
              SELECT rowid AS id, bm25({fts}, {weights}) AS score
              FROM {fts} WHERE {fts} MATCH %s),
            live AS (SELECT id, score FROM matched
                     WHERE id IN (SELECT id FROM {entry} WHERE {live})),
            top AS (SELECT id, score FROM live ORDER BY score, id LIMIT %s)
            SELECT e.id, e.kind, e.slug, e.title, e.summary, e.body, e.also_called,
                   (SELECT COUNT(*) FROM live) AS total
            FROM top JOIN {entry} e ON e.id = top.id
            ORDER BY top.score, e.title
        """  # noqa: S608 - table names are our own; every value is a parameter
        params = [cls.match(words, phrases, language), *live_params, MAX_RESULTS]
        entries = list(SearchEntry.objects.raw(sql, params))
        return entries, (entries[0].total if entries else 0)


class PostgresBackend:
    @staticmethod
    def query(words, phrases, language):
        """OR'd plain and phrase queries: PostgreSQL parses each as text, never as syntax."""
        config = PG_CONFIGS.get(language, "english")
        combined = None
        for word in words:
            part = SearchQuery(word, config=config)
            combined = part if combined is None else combined | part
        for phrase in phrases:
            combined |= SearchQuery(phrase, config=config, search_type="phrase")
        return combined

    @classmethod
    def run(cls, words, phrases, language):
        query = cls.query(words, phrases, language)
        live = RawSQL(*live_condition(language), BooleanField())  # noqa: S611 - Django's SQL of our own queryset; values are parameters
        matched = (
            SearchEntry.objects.filter(live)
            .filter(document=query)
            .annotate(rank=SearchRank(F("document"), query, weights=PG_WEIGHTS))
            .values("id", "title", "rank")
        )
        inner, params = matched.query.sql_with_params()
        entry = SearchEntry._meta.db_table
        # As on SQLite: every match is ranked once into narrow rows (id, title, rank),
        # materialized so the sort and the count read those rows, not the table; only the
        # page of results reads the long columns. Equal ranks are chosen between by id, not
        # title: comparing titles under the database's collation took half the query when
        # many pages ranked alike. The page of results is then shown by rank and title.
        sql = f"""
            WITH matched AS MATERIALIZED ({inner}),
            top AS (SELECT id, rank, title FROM matched ORDER BY rank DESC, id LIMIT %s)
            SELECT e.id, e.kind, e.slug, e.title, e.summary, e.body, e.also_called,
                   (SELECT COUNT(*) FROM matched) AS total
            FROM top JOIN {entry} e ON e.id = top.id
            ORDER BY top.rank DESC, top.title
        """  # noqa: S608 - the table name is our own; every value is a parameter
        entries = list(SearchEntry.objects.raw(sql, (*params, MAX_RESULTS)))
        return entries, (entries[0].total if entries else 0)
