"""The engine, on whichever database the run uses (SQLite by default, PostgreSQL with
DATABASE_URL): patients' phrasings in both languages, what is never found, the index kept
current by triggers, and a query count that does not grow with the content."""

import pytest
from django.utils import timezone
from django.utils.translation import override

from clinic_site.search.engine import search
from clinic_site.search.models import Synonym
from conditions.models import Article, Condition, Guide
from tests.factories import ConditionFactory, GuideFactory, TreatmentFactory

pytestmark = pytest.mark.django_db

# (what a patient types, the page that must come first). English: the seeded launch content.
ENGLISH = [
    ("cluneal", "Cluneal nerve entrapment"),
    ("Cluneal nerve entrapment", "Cluneal nerve entrapment"),
    ("buttocks", "Cluneal nerve entrapment"),  # plural: the page says "buttock"
    ("pain in my buttock", "Cluneal nerve entrapment"),
    ("butt", "Cluneal nerve entrapment"),  # synonym
    ("my butt hurts", "Cluneal nerve entrapment"),
    ("hip pain", "Cluneal nerve entrapment"),  # synonym
    ("pain when sitting", "Cluneal nerve entrapment"),
    ("sciatica", "Cluneal nerve entrapment"),
    ("gluteal cutaneous nerve entrapment", "Cluneal nerve entrapment"),  # also called
    ("cluneal neuropathy", "Cluneal nerve entrapment"),
    ("freezing the nerve", "Cryoablation"),
    ("cryoneurolysis", "Cryoablation"),  # also called
    ("cryoanalgesia", "Cryoablation"),
    ("CRYOABLATION", "Cryoablation"),
    ("nerve block", "Image-guided nerve injections"),
    ("nerve stimulator", "Peripheral nerve stimulation"),
    ("PNS", "Peripheral nerve stimulation"),
    ("physical therapy", "Conservative care"),
    ("back pain without surgery", "Treating back and neck pain without surgery"),
    ("trouble peeing", "Back pain: when to get urgent help"),  # the urgent advice
]

# Spanish: the seeded Spanish launch content (conditions/migrations/0014_seed_spanish.py).
CLUNEAL_ES = "Atrapamiento del nervio cluneal"
INJECTIONS_ES = "Inyecciones en los nervios guiadas por imagen"
SPANISH = [
    ("inyecciones", INJECTIONS_ES),
    ("inyección en el nervio", INJECTIONS_ES),
    ("inyeccion", INJECTIONS_ES),  # typed without the accent
    ("bloqueo nervioso", INJECTIONS_ES),  # also called
    ("cluneal", CLUNEAL_ES),
    ("nervios clúneos", CLUNEAL_ES),  # also called, with the accent
    ("nervios cluneos", CLUNEAL_ES),  # and without
    ("nalgas", CLUNEAL_ES),  # synonym
    ("dolor de cadera", CLUNEAL_ES),
    ("ciatica", CLUNEAL_ES),
    ("congelar el nervio", "Crioablación"),
    ("crioneurólisis", "Crioablación"),  # also called
    ("crioablacion", "Crioablación"),
    ("estimulador de nervios", "Estimulación de nervios periféricos"),
    ("atención sin cirugía", "Tratamiento conservador"),
]


@pytest.fixture
def spanish_pages():
    """The seeded Spanish pages are there (and only Spanish ones are found in Spanish)."""
    assert Condition.objects.published().in_language("es").filter(title=CLUNEAL_ES).exists()


@pytest.mark.parametrize(("query", "first"), ENGLISH)
def test_english_phrasings_put_the_right_page_first(query, first):
    with override("en"):
        results = search(query, "en")
    assert results.hits, query
    assert results.hits[0].title == first


@pytest.mark.parametrize(("query", "first"), SPANISH)
def test_spanish_phrasings_put_the_right_page_first(spanish_pages, query, first):
    with override("es"):
        results = search(query, "es")
    assert results.hits, query
    assert results.hits[0].title == first


def test_each_language_finds_only_its_own_pages(spanish_pages):
    assert search("cluneal", "es").hits[0].title == "Atrapamiento del nervio cluneal"
    assert {h.title for h in search("cluneal", "en").hits} <= {
        "Cluneal nerve entrapment",
        "Treating back and neck pain without surgery",
        "Image-guided nerve injections",
        "Cryoablation",
        "Peripheral nerve stimulation",
        "Conservative care",
    }


@pytest.mark.parametrize(
    ("query", "suggestion"),
    [("clunial", "cluneal"), ("cryoablasion", "cryoablation"), ("siatica", "sciatica")],
)
def test_misspellings_get_did_you_mean(query, suggestion):
    assert search(query, "en").did_you_mean == suggestion


def test_spanish_misspelling_gets_did_you_mean(spanish_pages):
    assert search("crioablacon", "es").did_you_mean == "crioablacion"


def test_matches_are_escaped_and_marked():
    ConditionFactory(
        title="Markup test", overview="The <b>zebrine</b> & <script>alert(1)</script> zebrine."
    )
    passage = search("zebrine", "en").hits[0].passage
    assert "<mark>zebrine</mark>" in passage
    assert "<script>" not in passage and "&lt;script&gt;" in passage
    assert "&amp;" in passage


def test_drafts_and_scheduled_pages_are_never_found():
    ConditionFactory(title="Quokkaitis draft", status=Article.Status.DRAFT)
    ConditionFactory(
        title="Quokkaitis scheduled",
        publish_at=timezone.now() + timezone.timedelta(days=1),
    )
    assert search("quokkaitis", "en").hits == []


def test_a_scheduled_page_appears_by_itself_when_its_time_comes():
    page = ConditionFactory(
        title="Wombatosis", publish_at=timezone.now() + timezone.timedelta(days=1)
    )
    assert search("wombatosis", "en").count == 0
    # No write to the page: only the clock moves (here, the stored time).
    Condition.objects.filter(pk=page.pk).update(publish_at=timezone.now())
    assert [h.title for h in search("wombatosis", "en").hits] == ["Wombatosis"]


def test_index_follows_save_update_publish_and_delete():
    page = GuideFactory(title="Platypus guide", status=Article.Status.DRAFT)
    assert search("platypus", "en").count == 0
    page.status = Article.Status.PUBLISHED
    page.save()  # publish
    assert search("platypus", "en").count == 1
    Guide.objects.filter(pk=page.pk).update(title="Echidna guide")  # no save(), no signal
    assert search("platypus", "en").count == 0
    assert search("echidna", "en").hits[0].title == "Echidna guide"
    Guide.objects.filter(pk=page.pk).update(also_called="Spiny anteater")
    assert search("anteater", "en").hits[0].title == "Echidna guide"
    Guide.objects.filter(pk=page.pk).delete()
    assert search("echidna", "en").count == 0


def test_synonyms_from_the_admin_list_take_effect_at_once():
    TreatmentFactory(title="Lumbar zygapophysial injection")
    assert search("wobbly", "en").count == 0
    Synonym.objects.create(language="en", words="wobbly", terms="zygapophysial")
    assert search("wobbly", "en").hits[0].title == "Lumbar zygapophysial injection"


def test_only_the_current_urgent_advice_is_found():
    from conditions.models import UrgentAdvice

    current = UrgentAdvice.objects.current()
    hits = [h for h in search("bladder", "en").hits if h.kind == "Urgent help"]
    assert len(hits) == 1
    assert hits[0].title == current.title


@pytest.mark.parametrize("size", [5, 60])
def test_query_count_does_not_grow_with_the_content(django_assert_num_queries, size):
    ConditionFactory.create_batch(size, overview="Pain in the lower back and buttock.")
    TreatmentFactory.create_batch(size, what_it_is="Eases buttock pain.")
    search("buttock pain", "en")  # fills the vocabulary for this content version
    with django_assert_num_queries(2):  # the content version, the search
        results = search("buttock pain", "en")
    assert results.count >= size
    with django_assert_num_queries(2):
        search("clunial", "en")


def test_many_results_are_counted_but_a_page_of_them_shown():
    TreatmentFactory.create_batch(40, what_it_is="A capybara treatment.")
    results = search("capybara", "en")
    assert results.count == 40
    assert len(results.hits) == 20
