"""Links between our pages (conditions/links.py, conditions/admin/links.py): the link search
the editor's link button uses, the pickers and saves that keep links within one language, and
the publish checklist's item for links to pages that are not published."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from conditions.checklist import publish_checklist
from conditions.links import article_links, internal_paths
from conditions.models import Condition, Treatment
from tests.conditions.hostile import PAYLOADS
from tests.conditions.staff import EDITORS, REVIEWERS, change_form_data, logged_in
from tests.factories import ConditionFactory, GuideFactory, TreatmentFactory

pytestmark = pytest.mark.django_db

SEARCH = "admin:conditions_condition_links"


def search(client, **params):
    response = client.get(reverse(SEARCH), params)
    assert response.status_code == 200
    return response.json()["results"]


# The link search ---------------------------------------------------------------------------


def test_the_link_search_finds_pages_by_title_in_the_articles_language_only(client):
    logged_in(client, EDITORS)
    TreatmentFactory(title="Zephyr freezing", slug="zephyr-freezing")
    TreatmentFactory(title="Congelación céfiro", slug="congelacion-cefiro", language="es")
    ConditionFactory(title="Zonal nerve entrapment", slug="zonal-test", status="draft")

    english = search(client, q="zephyr", language="en")
    assert english == [
        {
            "title": "Zephyr freezing",
            "kind": "Treatment",
            "status": "Published",
            "published": True,
            "url": "/treatments/zephyr-freezing/",
        }
    ]
    spanish = search(client, q="céfiro", language="es")
    assert [(r["title"], r["url"]) for r in spanish] == [
        ("Congelación céfiro", "/es/tratamientos/congelacion-cefiro/")
    ]
    assert search(client, q="céfiro", language="en") == []
    # A draft is found, and says so; every word typed must be in the title.
    assert [(r["title"], r["status"], r["published"]) for r in search(client, q="nerve zonal")] == [
        ("Zonal nerve entrapment", "Draft", False)
    ]


def test_a_scheduled_page_is_listed_as_scheduled(client):
    logged_in(client, EDITORS)
    GuideFactory(title="Later guide", publish_at=timezone.now() + datetime.timedelta(days=3))
    assert [(r["kind"], r["status"]) for r in search(client, q="Later guide")] == [
        ("Guide", "Scheduled")
    ]


def test_the_link_search_costs_the_same_few_queries_however_many_pages_match(
    client, django_assert_num_queries
):
    logged_in(client, REVIEWERS)
    for n in range(3):
        ConditionFactory(title=f"Zknee pain {n}")
        TreatmentFactory(title=f"Zknee injection {n}")
    url = reverse(SEARCH)
    client.get(url, {"q": "zknee"})  # the session and user are warm
    # The session, the user, their second factor and their permissions (2), one search per
    # kind of article (4), and the session's new expiry (3, with its savepoint).
    with django_assert_num_queries(12):
        first = client.get(url, {"q": "zknee"}).json()["results"]
    for n in range(3, 9):
        ConditionFactory(title=f"Zknee pain {n}")
    with django_assert_num_queries(12):
        more = client.get(url, {"q": "zknee"}).json()["results"]
    assert len(first) == 6
    assert len(more) == 12


def test_the_link_search_is_for_staff_who_may_view_articles_only(client):
    url = reverse(SEARCH)
    assert client.get(url, {"q": "knee"}).status_code == 302  # to the sign-in page
    from django.contrib.auth.models import Group

    from tests.conditions.staff import staff_user
    from tests.factories import sign_in

    front_desk = staff_user(username="desk")
    front_desk.groups.add(Group.objects.get(name="Front desk"))
    sign_in(client, front_desk)
    assert client.get(url, {"q": "knee"}).status_code == 403


def test_the_link_search_changes_nothing_and_takes_gets_only(client):
    logged_in(client, EDITORS)
    assert client.post(reverse(SEARCH), {"q": "knee"}).status_code == 405


def test_the_link_search_is_never_cached(client):
    logged_in(client, EDITORS)
    response = client.get(reverse(SEARCH), {"q": "knee"})
    assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]


@pytest.mark.parametrize("payload", [*PAYLOADS, "%", "_", "\x00", "x" * 5000, "é" * 300])
def test_hostile_search_words_get_an_answer_not_an_error(client, payload):
    logged_in(client, EDITORS)
    response = client.get(reverse(SEARCH), {"q": payload, "language": payload})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


# Pickers and saves in one language ---------------------------------------------------------


def test_the_pickers_offer_only_pages_in_the_articles_language(client):
    logged_in(client, REVIEWERS)
    TreatmentFactory(title="Zephyr freezing")
    TreatmentFactory(title="Congelación céfiro", language="es")
    ConditionFactory(title="Zonal pain")
    ConditionFactory(title="Dolor zonal", language="es")
    article = ConditionFactory(title="Knee pain", status="draft")  # a form to edit
    page = BeautifulSoup(
        client.get(reverse("admin:conditions_condition_change", args=[article.pk])).content,
        "html.parser",
    )
    treatments = [o.get_text() for o in page.select("select[name=treatments] option")]
    related = [o.get_text() for o in page.select("select[name=related_conditions] option")]
    assert "Zephyr freezing" in treatments
    assert "Congelación céfiro" not in treatments
    assert "Zonal pain" in related
    assert "Dolor zonal" not in related
    assert set(treatments) == set(
        Treatment.objects.in_language("en").values_list("title", flat=True)
    )

    spanish = ConditionFactory(title="Dolor de rodilla", language="es", status="draft")
    page = BeautifulSoup(
        client.get(reverse("admin:conditions_condition_change", args=[spanish.pk])).content,
        "html.parser",
    )
    treatments = [o.get_text() for o in page.select("select[name=treatments] option")]
    assert "Congelación céfiro" in treatments
    assert set(treatments) == set(
        Treatment.objects.in_language("es").values_list("title", flat=True)
    )


def test_an_english_condition_cannot_be_saved_linking_a_spanish_treatment(client):
    logged_in(client, REVIEWERS)
    english = TreatmentFactory(title="Zephyr freezing")
    spanish = TreatmentFactory(title="Congelación céfiro", language="es")
    article = ConditionFactory(title="Knee pain", status="draft")
    url = reverse("admin:conditions_condition_change", args=[article.pk])
    data = change_form_data(article, treatments=[english.pk, spanish.pk])
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    errors = response.context["adminform"].form.errors
    assert errors["treatments"] == [
        "This page is in English, so it can link only to pages in English. Remove "
        "“Congelación céfiro” (Spanish), or link its English version."
    ]
    assert list(Condition.objects.get(pk=article.pk).treatments.all()) == []

    response = client.post(url, change_form_data(article, treatments=[english.pk]))
    assert response.status_code == 302
    assert list(Condition.objects.get(pk=article.pk).treatments.all()) == [english]


def test_a_guide_cannot_link_a_condition_in_another_language(client):
    logged_in(client, REVIEWERS)
    condition = ConditionFactory(title="Ciática", language="es")
    guide = GuideFactory(title="Back pain guide", status="draft")
    url = reverse("admin:conditions_guide_change", args=[guide.pk])
    response = client.post(url, change_form_data(guide, related_conditions=[condition.pk]))
    assert response.status_code == 200
    assert (
        "“Ciática” (Spanish)" in response.context["adminform"].form.errors["related_conditions"][0]
    )


def test_a_section_linking_a_page_in_another_language_is_refused_by_name(client):
    logged_in(client, REVIEWERS)
    TreatmentFactory(title="Congelación céfiro", slug="congelacion-cefiro", language="es")
    article = ConditionFactory(title="Knee pain", status="draft")
    url = reverse("admin:conditions_condition_change", args=[article.pk])
    text = "Read about [freezing the nerve](/es/tratamientos/congelacion-cefiro/)."
    response = client.post(url, change_form_data(article, overview=text))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["overview"] == [
        "This page is in English, so it can link only to pages in English. Remove "
        "“Congelación céfiro” (Spanish), or link its English version."
    ]


# Internal links and the checklist ------------------------------------------------------------


def test_internal_paths_are_our_own_addresses_only():
    html = (
        '<a href="/conditions/sciatica/#causes">a</a> <a href="https://example.org/x">b</a> '
        '<a href="//evil.example/x">c</a> <a href="/conditions/sciatica/">d</a> '
        '<a href="mailto:x@example.org">e</a> <a href="/es/afecciones/ci%C3%A1tica/">f</a>'
    )
    assert internal_paths(html) == ["/conditions/sciatica/", "/es/afecciones/ciática/"]


def test_the_checklist_lists_links_to_pages_that_are_not_published_or_gone(
    django_assert_num_queries,
):
    ConditionFactory(title="Sciatica", slug="sciatica-test")
    TreatmentFactory(title="Cryoablation", slug="cryo-test", status="draft")
    later = timezone.now() + datetime.timedelta(days=1)
    GuideFactory(title="Later", slug="later-test", publish_at=later)
    article = ConditionFactory(
        overview=(
            "See [sciatica](/conditions/sciatica-test/), [freezing](/treatments/cryo-test/), "
            "[later](/guides/later-test/), [gone](/conditions/no-such-page/), "
            "[the list](/conditions/) and [help](/urgent-help/)."
        )
    )
    with django_assert_num_queries(3):  # one per kind of article linked
        links = article_links(article)
    assert [(link.path, link.is_unpublished, link.is_gone) for link in links] == [
        ("/conditions/sciatica-test/", False, False),
        ("/treatments/cryo-test/", True, False),
        ("/guides/later-test/", True, False),
        ("/conditions/no-such-page/", False, True),
        ("/conditions/", False, False),
        ("/urgent-help/", False, False),
    ]
    item = next(item for item in publish_checklist(article) if item.key == "links")
    assert not item.ok
    assert item.detail == (
        "“Cryoablation” (/treatments/cryo-test/): not published; "
        "“Later” (/guides/later-test/): not published; "
        "/conditions/no-such-page/: no page at this address."
    )
    assert item.warning == "3 links to pages not published"


def test_the_checklist_is_content_with_links_to_published_pages():
    ConditionFactory(title="Sciatica", slug="sciatica-test")
    article = ConditionFactory(overview="See [sciatica](/conditions/sciatica-test/).")
    item = next(item for item in publish_checklist(article) if item.key == "links")
    assert item.ok
    assert item.detail == "The link to our page leads to a published page."


def test_the_change_form_shows_the_checklists_unpublished_link(client):
    logged_in(client, REVIEWERS)
    TreatmentFactory(title="Cryoablation", slug="cryo-test", status="draft")
    article = ConditionFactory(overview="See [freezing](/treatments/cryo-test/).")
    page = BeautifulSoup(
        client.get(reverse("admin:conditions_condition_change", args=[article.pk])).content,
        "html.parser",
    )
    missing = [li.get_text(" ", strip=True) for li in page.select(".app-checklist__item--missing")]
    assert any("“Cryoablation” (/treatments/cryo-test/): not published" in m for m in missing)
