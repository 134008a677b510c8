"""The engine, on whichever database the run uses (SQLite by default, PostgreSQL with
DATABASE_URL): patients' phrasings in both languages, what is never found, the index kept
current by triggers, and a query count that does not grow with the content."""

import pytest
from django.utils import timezone
from django.utils.translation import override

from clinic_site.sitewide.search.engine import MAX_RESULTS, search
from clinic_site.sitewide.search.models import Synonym
from conditions.models import Article, Condition, Guide, Treatment, UrgentAdvice
from tests.factories import ConditionFactory, GuideFactory, TreatmentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.vocabulary]

# (what a patient types, the page that must come first), on the library loaded from
# conditions/content/: each page by its name and by two everyday phrasings.
CLUNEAL = "Cluneal nerve entrapment"
ENGLISH = [
    ("cluneal", CLUNEAL),
    ("Cluneal nerve entrapment", CLUNEAL),
    ("gluteal cutaneous nerve entrapment", CLUNEAL),  # also called
    ("cluneal neuropathy", CLUNEAL),
    ("cluneal neuralgia", CLUNEAL),
    ("freezing the nerve", "Cryoablation"),
    ("cryoneurolysis", "Cryoablation"),  # also called
    ("cryoanalgesia", "Cryoablation"),
    ("CRYOABLATION", "Cryoablation"),
    ("diagnostic block", "Image-guided nerve injections"),
    ("nerve stimulator", "Peripheral nerve stimulation"),
    ("PNS", "Peripheral nerve stimulation"),
    ("non-surgical care", "Non-surgical care"),
    ("conservative care", "Non-surgical care"),  # its old name, also called
    ("back pain without surgery", "Treating back and neck pain without surgery"),
    ("trouble peeing", "Back and neck pain: when to get urgent help"),  # the urgent advice
    # The library's new pages.
    ("sciatica", "Sciatica"),
    ("pain down my leg", "Sciatica"),
    ("pain running down my leg", "Sciatica"),
    ("lumbar radiculopathy", "Sciatica"),  # also called
    ("herniated disc", "Herniated disc"),
    ("slipped disc", "Herniated disc"),
    ("bulging disc", "Herniated disc"),
    ("lumbar spinal stenosis", "Lumbar spinal stenosis"),
    ("legs hurt when I walk", "Lumbar spinal stenosis"),
    ("narrowing of the spine", "Lumbar spinal stenosis"),
    ("facet joint pain", "Facet joint pain"),
    ("arthritis in the back", "Facet joint pain"),
    ("arthritis in my spine", "Facet joint pain"),
    ("sacroiliac joint pain", "Sacroiliac joint pain"),
    ("SI joint", "Sacroiliac joint pain"),
    ("sacroiliitis", "Sacroiliac joint pain"),
    ("neck pain with arm pain", "Neck pain with arm pain"),
    ("pinched nerve in my neck", "Neck pain with arm pain"),
    ("cervical radiculopathy", "Neck pain with arm pain"),
    ("knee osteoarthritis", "Knee osteoarthritis"),
    ("knee arthritis", "Knee osteoarthritis"),
    ("worn out knee", "Knee osteoarthritis"),
    ("peripheral neuropathy", "Peripheral neuropathy"),
    ("numb feet", "Peripheral neuropathy"),
    ("diabetic nerve pain", "Peripheral neuropathy"),
    ("pain after back surgery", "Pain after back surgery"),
    ("failed back surgery", "Pain after back surgery"),
    ("still hurts after spine surgery", "Pain after back surgery"),
    ("epidural steroid injection", "Epidural steroid injection"),
    ("epidural", "Epidural steroid injection"),
    ("steroid shot in my back", "Epidural steroid injection"),
    ("medial branch block", "Facet joint injection and medial branch block"),
    ("facet injection", "Facet joint injection and medial branch block"),
    ("medial branch", "Facet joint injection and medial branch block"),
    ("radiofrequency ablation", "Radiofrequency ablation"),
    ("RFA", "Radiofrequency ablation"),
    ("nerve burning", "Radiofrequency ablation"),
    ("sacroiliac joint injection", "Sacroiliac joint injection"),
    ("sacroiliac injection", "Sacroiliac joint injection"),
    ("shot in the sacroiliac joint", "Sacroiliac joint injection"),
    ("spinal cord stimulation", "Spinal cord stimulation"),
    ("spinal cord stimulator", "Spinal cord stimulation"),
    ("back stimulator implant", "Spinal cord stimulation"),
    ("your first visit", "Your first visit"),
    ("what to bring to my first appointment", "Your first visit"),
    ("first appointment", "Your first visit"),
    ("before and after a procedure", "Before and after a procedure"),
    ("stop blood thinner before procedure", "Before and after a procedure"),
    ("fasting before sedation", "Before and after a procedure"),
    ("living with long-term pain", "Living with long-term pain"),
    ("chronic pain", "Living with long-term pain"),
    ("coping with pain every day", "Living with long-term pain"),
]

CLUNEAL_ES = "Atrapamiento del nervio cluneal"
INJECTIONS_ES = "Inyecciones en los nervios guiadas por imagen"
SPANISH = [
    ("inyecciones en los nervios", INJECTIONS_ES),
    ("inyecciones en los nervios guiadas por imagen", INJECTIONS_ES),
    ("cluneal", CLUNEAL_ES),
    ("nervios clúneos", CLUNEAL_ES),  # also called, with the accent
    ("nervios cluneos", CLUNEAL_ES),  # and without
    ("neuralgia cluneal", CLUNEAL_ES),
    ("congelar el nervio", "Crioablación"),
    ("crioneurólisis", "Crioablación"),  # also called
    ("crioablacion", "Crioablación"),
    ("estimulador de nervios periféricos", "Estimulación de nervios periféricos"),
    ("tratamiento sin cirugía", "Tratamiento sin cirugía"),
    # The library's new pages.
    ("ciática", "Ciática"),
    ("el ciático", "Ciática"),
    ("dolor que baja por la pierna", "Ciática"),
    ("hernia de disco", "Hernia de disco"),
    ("disco desplazado", "Hernia de disco"),
    ("disco salido", "Hernia de disco"),
    ("estenosis espinal lumbar", "Estenosis espinal lumbar"),
    ("me duelen las piernas al caminar", "Estenosis espinal lumbar"),
    ("canal estrecho", "Estenosis espinal lumbar"),
    ("articulaciones facetarias", "Dolor de las articulaciones facetarias"),
    ("artritis en la espalda", "Dolor de las articulaciones facetarias"),
    ("artrosis de la columna", "Dolor de las articulaciones facetarias"),
    ("dolor en la articulación sacroilíaca", "Dolor de la articulación sacroilíaca"),
    ("sacroileitis", "Dolor de la articulación sacroilíaca"),
    ("dolor sacroiliaco", "Dolor de la articulación sacroilíaca"),
    ("dolor de cuello y brazo", "Dolor de cuello y brazo"),
    ("dolor de cuello que baja al brazo", "Dolor de cuello y brazo"),
    ("radiculopatía cervical", "Dolor de cuello y brazo"),
    ("artrosis de rodilla", "Artrosis de rodilla"),
    ("artritis de rodilla", "Artrosis de rodilla"),
    ("desgaste de la rodilla", "Artrosis de rodilla"),
    ("neuropatía periférica", "Neuropatía periférica"),
    ("pies dormidos", "Neuropatía periférica"),
    ("dolor de nervios por diabetes", "Neuropatía periférica"),
    ("dolor después de cirugía de espalda", "Dolor después de una cirugía de espalda"),
    (
        "me sigue doliendo después de la operación de espalda",
        "Dolor después de una cirugía de espalda",
    ),
    ("síndrome de espalda fallida", "Dolor después de una cirugía de espalda"),
    ("inyección epidural", "Inyección epidural de esteroides"),
    ("inyección de cortisona en la espalda", "Inyección epidural de esteroides"),
    ("epidural", "Inyección epidural de esteroides"),
    ("bloqueo de la rama medial", "Inyección facetaria y bloqueo de la rama medial"),
    ("inyección facetaria", "Inyección facetaria y bloqueo de la rama medial"),
    (
        "bloqueo de prueba antes de radiofrecuencia",
        "Inyección facetaria y bloqueo de la rama medial",
    ),
    ("ablación por radiofrecuencia", "Ablación por radiofrecuencia"),
    ("radiofrecuencia", "Ablación por radiofrecuencia"),
    ("quemar el nervio", "Ablación por radiofrecuencia"),
    ("inyección en la articulación sacroilíaca", "Inyección en la articulación sacroilíaca"),
    ("inyección sacroilíaca", "Inyección en la articulación sacroilíaca"),
    ("inyección en la sacroilíaca", "Inyección en la articulación sacroilíaca"),
    ("estimulación de la médula espinal", "Estimulación de la médula espinal"),
    ("estimulador medular", "Estimulación de la médula espinal"),
    ("neuroestimulador de la médula", "Estimulación de la médula espinal"),
    ("su primera visita", "Su primera visita"),
    ("qué llevar a mi primera cita", "Su primera visita"),
    ("primera cita", "Su primera visita"),
    ("antes y después de un procedimiento", "Antes y después de un procedimiento"),
    ("anticoagulante antes del procedimiento", "Antes y después de un procedimiento"),
    ("ayuno antes de la sedación", "Antes y después de un procedimiento"),
    ("vivir con dolor crónico", "Vivir con dolor crónico"),
    ("dolor crónico", "Vivir con dolor crónico"),
    ("dolor de todos los días", "Vivir con dolor crónico"),
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
    english = set(Condition.objects.in_language("en").values_list("title", flat=True))
    for model in (Treatment, Guide, UrgentAdvice):
        english |= set(model.objects.in_language("en").values_list("title", flat=True))
    assert {h.title for h in search("cluneal", "en").hits} <= english
    assert {h.title for h in search("cluneal", "es").hits}.isdisjoint(english)


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
    assert len(results.hits) == MAX_RESULTS == 10


def test_on_postgresql_the_document_stays_in_its_row_and_its_index_is_current():
    """Migration 0003: the tsvector is stored in the row (not TOAST), and the GIN index has no
    pending list (fastupdate), which after a bulk load made the planner read every tsvector."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's FTS5 tables keep their own index")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'search_searchentry'::regclass AND attname = 'document'"
        )
        assert cursor.fetchone()[0] == "m"  # MAIN: kept in the row
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'search_entry_document'")
        assert cursor.fetchone()[0] == ["fastupdate=off"]
        cursor.execute("SELECT gin_clean_pending_list('search_entry_document')")
        assert cursor.fetchone()[0] == 0  # nothing was waiting to be merged
