"""The search page and the suggestions endpoint: private, never cached, never a 500, never
live markup, and usable with no JavaScript."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from clinic_site.core import language
from clinic_site.sitewide.search.engine import MAX_RESULTS

pytestmark = [pytest.mark.django_db, pytest.mark.vocabulary]

SEARCH = "/search/"

HOSTILE = [
    "AND",
    "OR OR NOT",
    "NEAR(cluneal nerve, 2)",
    'cluneal" OR "',
    '"',
    '"unbalanced',
    "(((",
    ")",
    "*",
    "clu*",
    "^cluneal",
    "-cluneal",
    "cluneal:nerve",
    "title:cluneal",
    "{title body}: pain",
    "pain \x00 nerve",
    "\x00",
    "😀 pain 🍑",
    "'; DROP TABLE conditions_condition; --",
    "1 OR 1=1",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "%",
    "_",
    "\\",
    "a" * 200,
    "pain " * 40,
    "ß ǅ ﬁ İ",
    "ｃｌｕｎｅａｌ",
]


def test_search_box_in_the_header_of_every_page_works_without_javascript(client):
    page = BeautifulSoup(client.get("/").content, "html.parser")
    form = page.select_one("header form[role=search]")
    assert form["method"] == "get" and form["action"] == SEARCH
    field = form.select_one("input[name=q]")
    assert page.select_one(f"label[for={field['id']}]").get_text(strip=True)
    assert form.select_one("button[type=submit]")


def test_results_page_lists_matches_with_kind_summary_and_highlighted_passage(client):
    response = client.get(SEARCH, {"q": "buttocks"})
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    first = page.select_one(".app-search-result")
    assert first.select_one("a")["href"] == "/conditions/cluneal-nerve-entrapment/"
    assert first.select_one(".app-search-result__kind").get_text(strip=True) == "Condition"
    assert first.select_one(".app-search-result__summary").get_text(strip=True)
    assert first.select_one(".app-search-result__passage mark")
    count = page.select_one("#search-count").get_text(" ", strip=True)
    assert "found for “buttocks”" in count


def test_search_is_private_never_cached_and_not_indexed(client):
    for url in (SEARCH, reverse("search:suggest")):
        response = client.get(url, {"q": "cluneal"})
        assert "no-store" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex"
        assert not response.cookies
        assert "Set-Cookie" not in response
    page = BeautifulSoup(client.get(SEARCH, {"q": "cluneal"}).content, "html.parser")
    assert page.select_one("meta[name=robots]")["content"] == "noindex"


def test_no_results_is_kind_and_offers_a_way_on(client):
    response = client.get(SEARCH, {"q": "clunial"})
    page = BeautifulSoup(response.content, "html.parser")
    text = page.get_text(" ", strip=True)
    assert "0 pages found" in text
    assert page.select_one("a[href='/search/?q=cluneal']").get_text() == "cluneal"
    assert page.select_one("a[href='/conditions/']")
    assert page.select_one("a[href='/urgent-help/']")
    assert page.select_one("main a[href^='tel:']")


def test_an_empty_search_shows_the_form(client):
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert b'id="search-page"' in response.content


def test_a_very_long_query_gets_a_message_not_an_error(client):
    response = client.get(SEARCH, {"q": "pain " * 2000})
    assert response.status_code == 400
    assert b"Please use fewer words" in response.content


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_and_odd_queries_never_break_or_inject(client, query):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code in (200, 400)
    page = BeautifulSoup(response.content, "html.parser")
    assert not page.select("main script, main img, main [onerror]")
    suggest = client.get(reverse("search:suggest"), {"q": query})
    assert suggest.status_code == 200


def test_suggestions_offer_titles_and_also_called_terms_as_json(client):
    data = client.get(reverse("search:suggest"), {"q": "cryo"}).json()["suggestions"]
    labels = {s["label"] for s in data}
    assert {"Cryoablation", "Cryoneurolysis", "Cryoanalgesia"} <= labels
    assert all(s["url"] == "/treatments/cryoablation/" for s in data)


def test_suggestions_never_offer_drafts(client):
    from conditions.models import Article
    from tests.factories import ConditionFactory

    ConditionFactory(title="Cryptic draft", status=Article.Status.DRAFT)
    data = client.get(reverse("search:suggest"), {"q": "crypt"}).json()["suggestions"]
    assert data == []


def test_article_page_shows_also_called_under_the_title(client):
    page = BeautifulSoup(client.get("/treatments/cryoablation/").content, "html.parser")
    line = page.select_one("h1 + .app-also-called").get_text(" ", strip=True)
    assert line == "Also called: Cryoneurolysis, Cryoanalgesia, Freezing the nerve"


def test_the_window_title_says_what_was_found(client):
    page = BeautifulSoup(client.get(SEARCH, {"q": "cryoneurolysis"}).content, "html.parser")
    assert page.title.get_text().startswith("1 page found for “cryoneurolysis” | Search")


def test_a_match_only_in_also_called_shows_those_terms_marked(client):
    page = BeautifulSoup(client.get(SEARCH, {"q": "cryoanalgesia"}).content, "html.parser")
    passage = page.select_one(".app-search-result__passage")
    assert passage.get_text() == "Also called: Cryoneurolysis, Cryoanalgesia, Freezing the nerve"
    assert passage.select_one("mark").get_text() == "Cryoanalgesia"


def test_suggestions_cost_one_query_once_warm(client, django_assert_num_queries):
    url = reverse("search:suggest")
    client.get(url, {"q": "cryo"})
    with django_assert_num_queries(1):  # the content version
        client.get(url, {"q": "clun"})


def test_queries_are_never_logged(client, caplog):
    secret = "haemorrhoids" * 30
    with caplog.at_level("DEBUG"):
        client.get(SEARCH, {"q": secret})  # too long: a 400, which Django logs
        client.get(SEARCH, {"q": "haemorrhoids"})
        client.get(reverse("search:suggest"), {"q": "haemorrhoids"})
    assert caplog.records  # the 400 was logged...
    assert "haemorrhoids" not in caplog.text  # ...without the query


def test_many_matches_say_only_the_best_are_shown(client):
    from tests.factories import TreatmentFactory

    TreatmentFactory.create_batch(25, what_it_is="A capybara treatment.")
    page = BeautifulSoup(client.get(SEARCH, {"q": "capybara"}).content, "html.parser")
    assert "25 pages found" in page.select_one("#search-count").get_text()
    assert len(page.select(".app-search-result")) == MAX_RESULTS == 10
    assert "These are the 10 best matches." in page.get_text()


def test_the_page_searches_in_the_readers_language(client):
    spanish_search = language.reverse_in("es", "search:results")
    assert spanish_search == "/es/search/"
    page = BeautifulSoup(
        client.get(spanish_search, {"q": "inyecciones en los nervios"}).content, "html.parser"
    )
    suggestions = client.get(
        language.reverse_in("es", "search:suggest"), {"q": "inyecciones"}
    ).json()
    assert page.html["lang"] == "es"
    titles = [a.get_text() for a in page.select(".app-search-result__title a")]
    assert titles[0] == "Inyecciones en los nervios guiadas por imagen"
    links = [a["href"] for a in page.select(".app-search-result__title a")]
    assert all(link.startswith("/es/") for link in links)
    assert "Inyecciones en los nervios guiadas por imagen" in [
        s["label"] for s in suggestions["suggestions"]
    ]
    english = BeautifulSoup(client.get(SEARCH, {"q": "inyección"}).content, "html.parser")
    assert not english.select(".app-search-result")
