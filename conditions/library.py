"""The clinic's library as files: reading `conditions/content/` and loading it into the database.

Every seeded page is a Markdown file with YAML front matter (conditions/content/README.md), so a
clinician reviews clinical text in a diff, and migrations carry schema only. `load_content`
(the management command) calls `load()`:

- a page missing from the database is created, in review (in the medical reviewers' queue; or
  published, with `publish=True`: development and demonstrations);
- a page the command loaded before is updated when its file changed, but only while nobody has
  edited it in the admin: each page keeps the fingerprint of what the command wrote
  (`Article.loaded_fingerprint`), and a page whose text, links or sources no longer match it is
  left exactly as staff left it;
- nothing else changes, so running it twice changes nothing.

Every file is read and checked before anything is written, and the whole load is one
transaction: a bad file stops the command with its path and what is wrong, having changed
nothing.

python-frontmatter reads the files (front matter is YAML, read with yaml.safe_load): a
well-kept library for exactly this format, rather than a splitter of our own.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from clinic_site.core.clinic.models import ClinicDetails
from clinic_site.core.language import ENGLISH, LANGUAGE_CODES

from .models import BodyArea, Condition, Guide, PlainerWord, Treatment, UrgentAdvice

CONTENT_DIR = Path(__file__).resolve().parent / "content"

KINDS = {
    "condition": Condition,
    "treatment": Treatment,
    "guide": Guide,
    "urgent-advice": UrgentAdvice,
}
# Front matter each kind may carry, beyond what every page has.
LINKS = ("treatments", "related_conditions")
KIND_KEYS = {
    "condition": {"body_areas", *LINKS, "anatomy_label", "symptom_labels", "test_labels"},
    "guide": set(LINKS),
    "treatment": set(),
    "urgent-advice": set(),
}
COMMON_KEYS = {
    "kind",
    "language",
    "slug",
    "title",
    "summary",
    "also_called",
    "translation_of",
    "sources",
    "images",
}
SOURCE_KEYS = ("title", "publisher", "year", "link")
IMAGE_KEYS = ("static_file", "width", "height", "section", "alt", "caption", "long_description")
SECTION_HEADING = re.compile(r"^# ([a-z_]+)[ \t]*$", re.MULTILINE)


class ContentError(Exception):
    """A content file that cannot be loaded: says which file and why."""


def _text(value):
    """Section text as stored: stripped, ending in one newline (empty stays empty)."""
    value = (value or "").strip()
    return f"{value}\n" if value else ""


def _lines(values):
    return "\n".join(str(v).strip() for v in values or [] if str(v).strip())


@dataclass
class PageFile:
    """One page's file, read and checked: the state the page should have."""

    path: Path
    kind: str
    language: str
    slug: str
    state: dict = field(default_factory=dict)

    @property
    def model(self):
        return KINDS[self.kind]

    @property
    def name(self):
        return f"{self.language}/{self.kind}/{self.slug}"


def read_page(path: Path) -> PageFile:
    try:
        post = frontmatter.load(path)
    except (yaml.YAMLError, UnicodeDecodeError, ValueError) as error:
        raise ContentError(f"{path}: cannot read the front matter ({error})") from error
    meta = post.metadata
    kind = meta.get("kind")
    if kind not in KINDS:
        raise ContentError(f"{path}: kind must be one of {', '.join(KINDS)}, not {kind!r}")
    unknown = set(meta) - COMMON_KEYS - KIND_KEYS[kind]
    if unknown:
        raise ContentError(f"{path}: unknown keys for a {kind}: {', '.join(sorted(unknown))}")
    language = meta.get("language")
    if language not in LANGUAGE_CODES:
        raise ContentError(f"{path}: language must be one of {', '.join(LANGUAGE_CODES)}")
    for key in ("slug", "title", "summary"):
        if not str(meta.get(key) or "").strip():
            raise ContentError(f"{path}: {key} is missing")
    if (language == ENGLISH) == bool(meta.get("translation_of")):
        raise ContentError(f"{path}: a Spanish page names its English page (translation_of)")

    model = KINDS[kind]
    parts = SECTION_HEADING.split(post.content)
    if parts[0].strip():
        raise ContentError(f"{path}: text before the first section heading")
    sections = dict(zip(parts[1::2], parts[2::2], strict=True))
    unknown = set(sections) - set(model.SECTION_NAMES)
    if unknown:
        raise ContentError(
            f"{path}: unknown sections {', '.join(sorted(unknown))}; a {kind} has "
            f"{', '.join(model.SECTION_NAMES)}"
        )
    state = {
        "title": str(meta["title"]).strip(),
        "summary": " ".join(str(meta["summary"]).split()),
        "also_called": _lines(meta.get("also_called")),
        "translation_of": meta.get("translation_of") or "",
        "sections": {name: _text(sections.get(name)) for name in model.SECTION_NAMES},
        "sources": [_source(path, s) for s in meta.get("sources") or []],
        "images": [_image(path, model, i) for i in meta.get("images") or []],
    }
    if kind == "condition":
        areas = list(meta.get("body_areas") or [])
        if bad := set(areas) - set(BodyArea.Code.values):
            raise ContentError(f"{path}: unknown body areas {', '.join(sorted(bad))}")
        state["body_areas"] = sorted(areas)
        state["labels"] = {
            "anatomy_label": str(meta.get("anatomy_label") or "").strip(),
            "symptom_labels": _lines(meta.get("symptom_labels")),
            "test_labels": _lines(meta.get("test_labels")),
        }
    if kind in ("condition", "guide"):
        for key in LINKS:
            state[key] = sorted(meta.get(key) or [])
    return PageFile(path=path, kind=kind, language=language, slug=str(meta["slug"]), state=state)


def _source(path, source):
    if not isinstance(source, dict) or not str(source.get("title") or "").strip():
        raise ContentError(f"{path}: each source needs a title")
    if unknown := set(source) - set(SOURCE_KEYS):
        raise ContentError(f"{path}: unknown source keys {', '.join(sorted(unknown))}")
    return {
        "title": str(source["title"]).strip(),
        "publisher": str(source.get("publisher") or "").strip(),
        "year": int(source["year"]) if source.get("year") else None,
        "link": str(source.get("link") or "").strip(),
    }


def _image(path, model, image):
    if not isinstance(image, dict) or set(image) - set(IMAGE_KEYS):
        raise ContentError(f"{path}: an image has keys {', '.join(IMAGE_KEYS)} only")
    if image.get("section") not in model.SECTION_NAMES or not image.get("alt"):
        raise ContentError(f"{path}: each image needs alt text and one of the page's sections")
    state = {key: str(image.get(key) or "").strip() for key in IMAGE_KEYS}
    for size in ("width", "height"):  # a shipped diagram's size, for its width and height
        state[size] = int(image[size]) if image.get(size) else None
    return state


@dataclass
class Library:
    pages: list[PageFile]
    # {list name: {language: [entry, ...]}}, from `<language>/<list name>.yaml`
    lists: dict[str, dict[str, list[dict]]]


def read_library(root: Path = CONTENT_DIR) -> Library:
    """Every file under `root`, read and checked together (links must resolve)."""
    pages = [read_page(path) for path in sorted(root.glob("*/**/*.md"))]
    seen = {}
    for page in pages:
        key = (page.model, page.language, page.slug)
        if key in seen:
            raise ContentError(f"{page.path}: the same page as {seen[key].path}")
        seen[key] = page
    _check_links(pages, seen)
    lists = {}
    for path in sorted(root.glob("*/*.yaml")):
        if path.stem not in LIST_LOADERS:
            raise ContentError(f"{path}: no list of that name ({', '.join(LIST_LOADERS)})")
        try:
            entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        except yaml.YAMLError as error:
            raise ContentError(f"{path}: cannot read it ({error})") from error
        lists.setdefault(path.stem, {})[path.parent.name] = entries
    return Library(pages, lists)


def _check_links(pages, seen):
    by_kind = {(p.kind, p.language, p.slug): p for p in pages}
    for page in pages:
        if page.state["translation_of"] and (
            (page.kind, ENGLISH, page.state["translation_of"]) not in by_kind
        ):
            raise ContentError(
                f"{page.path}: translation_of names {page.state['translation_of']!r}, "
                f"which is not an English {page.kind} in the library"
            )
        for key, kind in (("treatments", "treatment"), ("related_conditions", "condition")):
            for slug in page.state.get(key, []):
                target = by_kind.get((kind, page.language, slug))
                if target is None:
                    raise ContentError(
                        f"{page.path}: {key} names {slug!r}, not a {kind} in {page.language}"
                    )
                if page.kind == "condition" and key == "related_conditions":
                    if page.slug not in target.state["related_conditions"]:
                        raise ContentError(
                            f"{page.path}: related to {slug!r}, so {target.path} must list "
                            f"{page.slug!r} too (related conditions go both ways)"
                        )


# --- What a page in the database holds, in the files' terms ----------------------------------


def page_state(article) -> dict:
    """The page as the files describe it: compared with what `load` wrote, it tells whether
    staff have changed it since."""
    state = {
        "title": article.title,
        "summary": article.summary,
        "also_called": article.also_called,
        "translation_of": article.translation_of.slug if article.translation_of_id else "",
        "sections": {name: getattr(article, name) for name in article.SECTION_NAMES},
        "sources": [
            {"title": r.title, "publisher": r.publisher, "year": r.year, "link": r.link}
            for r in article.references.order_by("position", "pk")
        ],
        "images": [
            {key: getattr(image, key) for key in IMAGE_KEYS}
            for image in article.images.order_by("position", "pk")
        ],
    }
    if isinstance(article, Condition):
        state["body_areas"] = sorted(article.body_areas.values_list("code", flat=True))
        state["labels"] = {
            "anatomy_label": article.anatomy_label,
            "symptom_labels": article.symptom_labels,
            "test_labels": article.test_labels,
        }
    if isinstance(article, Condition | Guide):
        for key in LINKS:
            state[key] = sorted(getattr(article, key).values_list("slug", flat=True))
    return state


def fingerprint(state: dict) -> str:
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()


# --- Loading --------------------------------------------------------------------------------

CREATED, UPDATED, PUBLISHED, UNCHANGED, KEPT = (
    "created",
    "updated",
    "published",
    "unchanged",
    "kept as staff left it",
)


@dataclass
class Report:
    pages: list[tuple[str, PageFile]] = field(default_factory=list)
    added: dict[str, int] = field(default_factory=dict)  # entries added to each list
    clinic_details: bool = False

    def count(self, action):
        return sum(1 for done, _page in self.pages if done == action)

    def lines(self):
        for action, page in self.pages:
            if action != UNCHANGED:
                yield f"{action:>22}  {page.name}"
        counts = ", ".join(
            f"{self.count(action)} {action}" for action in (CREATED, UPDATED, PUBLISHED, KEPT)
        )
        yield f"Pages: {len(self.pages)} in the library; {counts}."
        for name, added in self.added.items():
            yield f"{name}: {added} added."
        if self.clinic_details:
            yield "Clinic details created from the content brief (edit them in the admin)."


def load(root: Path = CONTENT_DIR, *, publish: bool = False) -> Report:
    library = read_library(root)
    report = Report()
    # English first: a Spanish page points at its English original.
    pages = sorted(library.pages, key=lambda p: (p.language != ENGLISH, p.kind, p.slug))
    with transaction.atomic():
        written = []
        for page in pages:
            action, article = _load_page(page, publish)
            report.pages.append((action, page))
            if action in (CREATED, UPDATED):
                written.append((page, article))
        # Links and attachments once every page exists; then one version in the page's
        # history holds it all (text, links, sources), to go back to.
        for page, article in written:
            _load_links(page, article)
            article.loaded_fingerprint = fingerprint(page_state(article))
            del article.skip_history_when_saving
            article.save()
        for name, by_language in library.lists.items():
            report.added[name] = LIST_LOADERS[name](by_language)
        report.clinic_details = _load_clinic_details()
    return report


def _load_page(page, publish):
    model = page.model
    article = (
        model.objects.select_related("translation_of")
        .filter(language=page.language, slug=page.slug)
        .first()
    )
    wanted = fingerprint(page.state)
    if article is None:
        article = model(language=page.language, slug=page.slug)
        # Without --publish, straight into the medical reviewers' queue (the admin index).
        article.status = model.Status.PUBLISHED if publish else model.Status.IN_REVIEW
        article.review_requested_at = timezone.now()
        article.publish_at = timezone.now()
        _apply(page, article, f"Loaded from {page.path.relative_to(page.path.parents[2])}")
        return CREATED, article
    loaded = article.loaded_fingerprint
    if not loaded or fingerprint(page_state(article)) != loaded:
        return KEPT, article
    if wanted != loaded:
        if publish and article.status != model.Status.PUBLISHED:
            article.status = model.Status.PUBLISHED
            article.publish_at = timezone.now()
        _apply(page, article, f"Updated from {page.path.relative_to(page.path.parents[2])}")
        return UPDATED, article
    if publish and article.status != model.Status.PUBLISHED:
        article.status = model.Status.PUBLISHED
        article.publish_at = timezone.now()
        article._change_reason = "Published by load_content --publish"
        article.save()
        return PUBLISHED, article
    return UNCHANGED, article


def _apply(page, article, reason):
    state = page.state
    article.title = state["title"]
    article.summary = state["summary"]
    article.also_called = state["also_called"]
    for name, text in state["sections"].items():
        setattr(article, name, text)
    for name, value in state.get("labels", {}).items():
        setattr(article, name, value)
    if state["translation_of"]:
        article.translation_of = page.model.objects.get(
            language=ENGLISH, slug=state["translation_of"]
        )
        # Written together from the same brief: in line with its English version.
        article.translation_synced_at = timezone.now()
    article._change_reason = reason
    # Recorded in history once its links are set too (load()).
    article.skip_history_when_saving = True
    article.save()


def _load_links(page, article):
    state = page.state
    if "body_areas" in state:
        article.body_areas.set(state["body_areas"])
    if "treatments" in state:
        article.treatments.set(
            Treatment.objects.filter(language=page.language, slug__in=state["treatments"])
        )
    if "related_conditions" in state:
        article.related_conditions.set(
            Condition.objects.filter(language=page.language, slug__in=state["related_conditions"])
        )
    content_type = ContentType.objects.get_for_model(article)
    article.references.all().delete()
    for position, source in enumerate(state["sources"]):
        article.references.create(content_type=content_type, position=position, **source)
    article.images.all().delete()
    for position, image in enumerate(state["images"]):
        article.images.create(content_type=content_type, position=position, **image)


def load_plainer_words(by_language):
    """Adds the words not on the list yet; entries staff changed or removed stay so."""
    added = 0
    for language, entries in by_language.items():
        for entry in entries:
            word = " ".join(str(entry["word"]).split())
            if not PlainerWord.objects.filter(language=language, word__iexact=word).exists():
                PlainerWord.objects.create(
                    language=language, word=word, suggestion=str(entry["say_instead"]).strip()
                )
                added += 1
    return added


# Lists of words, by file name: {language: [entry, ...]} -> number of entries added. Apps above
# this one add theirs (search's synonyms: clinic_site/sitewide/search/apps.py), so the loader
# need not import them.
LIST_LOADERS = {"plainer-words": load_plainer_words}


def _load_clinic_details():
    """The clinic's details as the brief gives them, when there are none yet."""
    if ClinicDetails.objects.exists():
        return False
    ClinicDetails.from_brief().save()
    return True
