"""`load_content`: the library's files into the database, once, never over staff's edits."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from clinic_site.sitewide.search.models import Synonym
from conditions.library import CONTENT_DIR, read_library
from conditions.models import ARTICLE_MODELS, Condition, PlainerWord, Treatment
from tests.conditions.staff import REVIEWERS, logged_in, revise_and_publish

pytestmark = pytest.mark.django_db

CONDITION = """---
kind: condition
language: en
slug: test-knee-pain
title: Test knee pain
summary: A page for the loader's tests, with a summary long enough to be one.
also_called: [Sore knee]
body_areas: [knee, leg]
treatments: [test-rest]
related_conditions: []
sources:
  - title: A source
    publisher: A body
    year: 2020
    link: https://example.org/source
---

# overview

The knee hurts.

# symptoms

- It aches.
- It is stiff.
"""

TREATMENT = """---
kind: treatment
language: en
slug: test-rest
title: Test rest
summary: A treatment page for the loader's tests, with a summary long enough.
---

# what_it_is

Rest your knee.

# risks

None to speak of.
"""

SPANISH = """---
kind: treatment
language: es
slug: prueba-descanso
title: Prueba de descanso
summary: Una página de prueba para el cargador, con un resumen bastante largo.
translation_of: test-rest
---

# what_it_is

Descanse la rodilla.
"""


@pytest.fixture
def library(tmp_path):
    """A small library of its own, in a folder the test may change."""
    root = tmp_path / "content"
    for relative, text in {
        "en/conditions/test-knee-pain.md": CONDITION,
        "en/treatments/test-rest.md": TREATMENT,
        "es/treatments/prueba-descanso.md": SPANISH,
        "en/plainer-words.yaml": "- {word: utilise, say_instead: use}\n",
        "es/synonyms.yaml": "- {words: rodilla mala, terms: [prueba de descanso]}\n",
    }.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def load_content(*args):
    out = StringIO()
    call_command("load_content", *args, stdout=out)
    return out.getvalue()


def snapshot():
    """Every article row, its history length and its sources: what a second run must not touch."""
    rows = {}
    for model in ARTICLE_MODELS:
        for article in model.objects.all():
            rows[(model.__name__, article.pk)] = (
                article.updated_at,
                article.loaded_fingerprint,
                article.history.count(),
                list(article.references.values_list("pk", "title")),
            )
    return rows


def test_loads_missing_pages_in_review_for_the_medical_reviewers(library):
    output = load_content("--path", library)

    condition = Condition.objects.get(language="en", slug="test-knee-pain")
    assert condition.status == Condition.Status.IN_REVIEW
    assert condition.title == "Test knee pain"
    assert condition.also_called_terms() == ["Sore knee"]
    assert "<li>It aches.</li>" in condition.symptoms_html
    assert sorted(condition.body_areas.values_list("code", flat=True)) == ["knee", "leg"]
    assert list(condition.treatments.values_list("slug", flat=True)) == ["test-rest"]
    assert list(condition.references.values_list("title", "year")) == [("A source", 2020)]
    spanish = Treatment.objects.get(language="es", slug="prueba-descanso")
    assert spanish.translation_of == Treatment.objects.get(language="en", slug="test-rest")
    assert "created  en/condition/test-knee-pain" in output
    assert "Pages: 3 in the library; 3 created" in output
    assert condition.history.first().history_change_reason.startswith("Loaded from")
    assert PlainerWord.objects.filter(language="en", word="utilise").exists()
    assert Synonym.objects.filter(language="es", words="rodilla mala").exists()


def test_publish_publishes_what_it_loads(library):
    load_content("--path", library, "--publish")

    assert Condition.objects.published().filter(slug="test-knee-pain").exists()


def test_running_twice_changes_nothing(library):
    load_content("--path", library)
    before = snapshot()
    counts = (PlainerWord.objects.count(), Synonym.objects.count())

    output = load_content("--path", library)

    assert snapshot() == before
    assert (PlainerWord.objects.count(), Synonym.objects.count()) == counts
    assert "0 created, 0 updated, 0 published, 0 kept as staff left it" in output


def test_a_changed_file_updates_a_page_nobody_edited(library):
    load_content("--path", library)
    path = library / "en/conditions/test-knee-pain.md"
    path.write_text(CONDITION.replace("The knee hurts.", "The knee hurts a lot."))

    output = load_content("--path", library)

    condition = Condition.objects.get(slug="test-knee-pain")
    assert "The knee hurts a lot." in condition.overview_html
    assert "updated  en/condition/test-knee-pain" in output


def test_a_page_edited_in_the_admin_is_left_as_staff_left_it(client, library):
    load_content("--path", library, "--publish")
    treatment = Treatment.objects.get(language="en", slug="test-rest")
    logged_in(client, REVIEWERS)
    revise_and_publish(client, treatment, what_it_is="Rest your knee, as staff wrote it.")
    (library / "en/treatments/test-rest.md").write_text(
        TREATMENT.replace("Rest your knee.", "Rest it, says the new file.")
    )

    output = load_content("--path", library)

    treatment.refresh_from_db()
    assert treatment.what_it_is.strip() == "Rest your knee, as staff wrote it."
    assert "kept as staff left it  en/treatment/test-rest" in output


def test_a_page_made_in_the_admin_with_the_same_address_is_kept(library):
    made = Treatment.objects.create(language="en", slug="test-rest", title="Ours", summary="x")

    load_content("--path", library)

    made.refresh_from_db()
    assert made.title == "Ours"
    assert made.loaded_fingerprint == ""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("kind: condition", "kind: recipe"), "kind must be one of"),
        (("# overview", "# overveiw"), "unknown sections overveiw"),
        (("treatments: [test-rest]", "treatments: [missing]"), "treatments names 'missing'"),
        (("body_areas: [knee, leg]", "body_areas: [elbow]"), "unknown body areas elbow"),
        (("title: Test knee pain\n", ""), "title is missing"),
        (("kind: condition", "kind: condition\nauthor: Dr Nobody"), "unknown keys"),
    ],
)
def test_a_bad_file_stops_the_load_with_its_path_and_changes_nothing(library, change, message):
    path = library / "en/conditions/test-knee-pain.md"
    path.write_text(CONDITION.replace(*change))

    with pytest.raises(CommandError, match=message) as error:
        load_content("--path", library)

    assert "test-knee-pain.md" in str(error.value)
    assert not Treatment.objects.filter(slug="test-rest").exists()


def test_related_conditions_must_be_listed_both_ways(library):
    other = CONDITION.replace("test-knee-pain", "test-hip-pain").replace(
        "related_conditions: []", "related_conditions: [test-knee-pain]"
    )
    (library / "en/conditions/test-hip-pain.md").write_text(other)

    with pytest.raises(CommandError, match="related conditions go both ways"):
        load_content("--path", library)


def test_on_a_fresh_database_it_loads_the_whole_library_in_both_languages(tmp_path):
    """The real library: every page, in review; then nothing on a second run."""
    for model in ARTICLE_MODELS:
        model.objects.all().delete()
    library = read_library()
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)

    output = load_content("--path", root)

    loaded = sum(model.objects.count() for model in ARTICLE_MODELS)
    assert loaded == len(library.pages)
    assert {p.language for p in library.pages} == {"en", "es"}
    for model in ARTICLE_MODELS:
        assert not model.objects.exclude(status=model.Status.IN_REVIEW).exists()
    assert f"Pages: {loaded} in the library; {loaded} created" in output
    before = snapshot()
    assert "0 created, 0 updated" in load_content("--path", root)
    assert snapshot() == before


def test_every_english_page_has_its_spanish_version():
    library = read_library()
    english = {(p.kind, p.slug) for p in library.pages if p.language == "en"}
    translated = {(p.kind, p.state["translation_of"]) for p in library.pages if p.language == "es"}
    assert english == translated


def test_content_folder_holds_only_pages_and_lists():
    stray = [
        p for p in Path(CONTENT_DIR).rglob("*") if p.is_file() and p.suffix not in (".md", ".yaml")
    ]
    assert stray == []
