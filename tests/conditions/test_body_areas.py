""" "Where does it hurt?": the conditions index by body area, on the home page and the A–Z, in
both languages, without JavaScript, cached once per area."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conditions.models import Article, BodyArea, Condition
from tests.factories import ConditionFactory

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def area_links(page):
    """{label: (href, count text)} of the "Where does it hurt?" list."""
    links = {}
    for link in page.select(".app-areas__link"):
        count = link.select_one(".app-areas__count")
        label = link.get_text(" ", strip=True)
        if count is not None:
            label = label.removesuffix(count.get_text(strip=True)).strip()
        links[label] = (link["href"], count.get_text(strip=True) if count else "")
    return links


def published_in(area, language):
    return Condition.objects.published().in_language(language).in_area(area)


@pytest.mark.parametrize(
    ("url", "language"),
    [("/", "en"), ("/conditions/", "en"), ("/es/", "es"), ("/es/afecciones/", "es")],
)
def test_home_and_a_to_z_offer_each_area_with_its_count(client, url, language):
    page = soup(client.get(url))

    assert page.select_one("#where-it-hurts").get_text(strip=True) in (
        "Where does it hurt?",
        "¿Dónde le duele?",
    )
    links = area_links(page)
    list_url = "/conditions/" if language == "en" else "/es/afecciones/"
    for code in BodyArea.Code:
        count = published_in(code, language).count()
        assert count, code  # the library has conditions in every area
    assert len(links) == len(BodyArea.Code)
    for href, count in links.values():
        code = href.split("?area=")[1]
        assert href == f"{list_url}?area={code}"
        n = published_in(code, language).count()
        assert count.startswith(f"({n} ")
        if language == "es":  # Spanish has three plural forms: each must be translated
            assert "condition" not in count and "afecci" in count, count


def test_an_area_lists_its_conditions_only(client):
    response = client.get("/conditions/", {"area": "knee"})

    page = soup(response)
    assert response.status_code == 200
    titles = [a.get_text() for a in page.select(".app-link-list__title a")]
    assert titles == [c.title for c in published_in("knee", "en").order_by("title")]
    assert "Knee osteoarthritis" in titles
    assert "Sciatica" not in titles
    assert page.h1.get_text(strip=True) == "Conditions: Knee"
    assert page.select_one('.app-areas [aria-current="page"]')["href"] == "/conditions/?area=knee"


def test_the_spanish_area_page_is_in_spanish_with_spanish_links(client):
    response = client.get("/es/afecciones/", {"area": "low-back"})

    page = soup(response)
    assert response.status_code == 200
    assert page.html["lang"] == "es"
    assert page.h1.get_text(strip=True) == "Afecciones: Espalda baja (cintura)"
    links = [a["href"] for a in page.select(".app-link-list__title a")]
    assert links and all(link.startswith("/es/afecciones/") for link in links)
    assert "/es/afecciones/ciatica/" in links


def test_an_unknown_area_goes_to_the_whole_list(client):
    response = client.get("/conditions/", {"area": "elbow<script>"})

    assert response.status_code == 302
    assert response["Location"] == "/conditions/"


def test_each_area_is_cached_apart_and_follows_edits(client):
    knee = client.get("/conditions/", {"area": "knee"}).content
    feet = client.get("/conditions/", {"area": "feet"}).content
    assert knee != feet
    assert client.get("/conditions/", {"area": "knee"}).content == knee  # stored
    new = ConditionFactory(title="Runner's knee")
    new.body_areas.add("knee")

    again = client.get("/conditions/", {"area": "knee"})

    assert "Runner&#x27;s knee" in again.content.decode() or "Runner's knee" in again.text


def test_a_draft_is_never_counted_or_listed(client):
    draft = ConditionFactory(title="Secret knee draft", status=Article.Status.DRAFT)
    draft.body_areas.add("knee")

    response = client.get("/conditions/", {"area": "knee"})

    assert "Secret knee draft" not in response.content.decode()
    count = area_links(soup(response))["Knee"][1]
    assert count.startswith(f"({published_in('knee', 'en').count()} ")


def queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx)


def test_area_page_queries_do_not_grow_with_conditions(client):
    few = queries(client, "/conditions/", {"area": "leg"})
    for _ in range(8):
        ConditionFactory().body_areas.add("leg", "feet")
    from clinic_site.core.pagecache.middleware import pages

    pages.clear()
    assert queries(client, "/conditions/", {"area": "leg"}) == few
