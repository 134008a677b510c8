"""Words from what a patient typed, their stems, and the passage that shows them highlighted.

Everything here works on plain words (letters and digits): whatever else a query holds
(quotes, `*`, `NEAR`, brackets, markup, SQL) is a separator, so nothing a patient types is
ever read as search syntax or markup.
"""

import html
import re
import unicodedata
from functools import lru_cache

import snowballstemmer
from django.utils.safestring import mark_safe

from clinic_site.core.text import fold

MAX_QUERY_LENGTH = 200  # characters; a longer query is answered with a message
MAX_WORDS = 12

WORD = re.compile(r"[^\W_]+")

# Words that say nothing about which page a patient wants.
STOPWORDS = {
    "en": set(
        "a an and are at be by can do does for from have how i in is it its me my of on or "
        "the this to what when why with your you i'm im get got".split()
    ),
    "es": set(
        "a al como con de del el en es la las lo los me mi mis o para por que se su sus "
        "un una y yo le les tengo".split()
    ),
}

# The Snowball stemmers: "porter" matches SQLite's porter tokenizer (English); Spanish is
# the stemmer PostgreSQL's spanish_stem uses.
STEMMERS = {"en": "porter", "es": "spanish"}


class QueryTooLong(ValueError):
    pass


def clean(query):
    """The query as the page shows it back: control characters gone, spaces collapsed."""
    query = "".join(c for c in query if unicodedata.category(c)[0] != "C" or c in " \t")
    return " ".join(query.split())


def words(query, language):
    """The query's words that say something, folded, in order, without repeats."""
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryTooLong(query)
    found = [w for w in WORD.findall(fold(query)) if w not in STOPWORDS.get(language, ())]
    return list(dict.fromkeys(found))[:MAX_WORDS]


@lru_cache(maxsize=4)
def _stemmer(language):
    return snowballstemmer.stemmer(STEMMERS.get(language, "porter"))


@lru_cache(maxsize=4096)
def stem(word, language):
    return fold(_stemmer(language).stemWord(word))


def stems(text, language):
    return {stem(w, language) for w in WORD.findall(fold(text))}


# THE PASSAGE
# ------------------------------------------------------------------------------

PASSAGE_WORDS = 30
PASSAGE_SCAN_CHARS = 2500
# What plain() takes out: list and quote markers at the start of a line, link targets, and the
# marks of emphasis, code and links. In three passes, the marks by str.translate: a third of
# the time of one regular expression with all three as alternatives, and the same text.
LINE_MARKERS = re.compile(r"^\s*(?:[-+>#]+|\d+\.)\s+", re.MULTILINE)
LINK_TARGETS = re.compile(r"\]\([^)]*\)")
MARKS = str.maketrans("", "", "*_`[]")


def plain(markdown):
    """Markdown as a reader sees it, near enough for a passage: marks and link targets out."""
    return " ".join(LINK_TARGETS.sub("", LINE_MARKERS.sub("", markdown)).translate(MARKS).split())


def escape(text):
    return html.escape(text, quote=True)


def _marked(text, wanted, language):
    """Text, escaped, its matching words wrapped in <mark>: one pass over the passage, the
    stretches between matches escaped whole."""
    out, last = [], 0
    for match in WORD.finditer(text):
        word = match.group()
        if stem(fold(word), language) in wanted:
            out.append(escape(text[last : match.start()]))
            out.append(f"<mark>{escape(word)}</mark>")
            last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def _is_hit(token, wanted, language):
    return any(stem(w, language) in wanted for w in WORD.findall(fold(token)))


def _hits(tokens, folded, wanted, language):
    """The indexes of the tokens holding a wanted word. One regular expression finds, in the
    folded text, the words starting as a wanted stem does; each distinct one is stemmed once,
    and each match is placed in its token by its offset: no per-token work in Python."""
    if folded.count(" ") != len(tokens) - 1:  # folding made or removed a space: word by word
        return [i for i, token in enumerate(tokens) if _is_hit(token, wanted, language)]
    prefixes = "|".join(sorted({re.escape(w[:3]) for w in wanted}))
    # Also matches inside words ("rebut"): those are dropped below, cheaper in Python than a
    # look-behind tried at every character.
    candidates = re.compile(rf"(?:{prefixes})[^\W_]*")
    hits = set()
    for match in candidates.finditer(folded):
        start = match.start()
        if start and folded[start - 1].isalnum():  # not the start of a word
            continue
        if stem(match.group(), language) in wanted:
            hits.add(folded.count(" ", 0, start))  # its token: the spaces before it
    return sorted(hits)


def _best_window(hits, size):
    """The first index of the window of `size` tokens holding the most of `hits` (sorted)."""
    best, best_count, end = hits[0], 0, 0
    for i, start in enumerate(hits):
        while end < len(hits) and hits[end] < start + size:
            end += 1
        if end - i > best_count:
            best, best_count = start, end - i
    return best


def passage(text, wanted, language):
    """The stretch of `text` with the most of the `wanted` stems, escaped, matches in <mark>.

    Escaped here piece by piece: nothing from the index is ever output as markup. Only the
    start of a long text is read, and only the chosen stretch is escaped and marked.
    """
    if not wanted:
        return ""
    scanned = plain(text[:PASSAGE_SCAN_CHARS])
    tokens = scanned.split(" ")
    hits = _hits(tokens, fold(scanned), wanted, language)
    if not hits:
        return ""
    start = max(0, _best_window(hits, PASSAGE_WORDS) - 5)
    end = min(len(tokens), start + PASSAGE_WORDS)
    html = _marked(" ".join(tokens[start:end]), wanted, language)
    return mark_safe(  # noqa: S308 - every piece escaped in _marked
        ("… " if start > 0 else "") + html + (" …" if end < len(tokens) else "")
    )
