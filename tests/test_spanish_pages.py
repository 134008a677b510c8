"""Every Spanish page: its status, lang="es", a translated title and description, canonical and
hreflang links, no cookie, and no English sentence from the catalogue left in what a reader
sees. English pages keep their language, titles and addresses. Query counts stay flat."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinic_site.core import language
from clinic_site.core.pagecache.middleware import pages
from conditions.models import UrgentAdvice
from tests.spanish import FIXED_PAGES, english_phrases, spanish_pages, spanish_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    return spanish_rows()


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def head_links(page):
    return {
        link.get("hreflang"): link["href"]
        for link in page.find_all("link", rel="alternate")
        if link.get("hreflang")
    }


def visible_text(page):
    for tag in page(["script", "style", "template"]):
        tag.decompose()
    texts = [page.title.get_text() if page.title else ""]
    description = page.find("meta", attrs={"name": "description"})
    texts.append(description["content"] if description else "")
    texts += [tag[attr] for attr in ("aria-label", "alt", "title", "placeholder")
              for tag in page.find_all(attrs={attr: True})]  # fmt: skip
    # Text inside an element marked lang="en" (urgent advice not yet in Spanish) is English
    # on purpose, and says so.
    for tag in page.find_all(lang="en"):
        if tag.name != "html":
            tag.decompose()
    texts.append(page.body.get_text(" "))
    return " ".join(" ".join(texts).split())


def test_the_catalogue_has_english_phrases_to_look_for():
    phrases = english_phrases()
    assert "Skip to main content" in phrases and "Conditions A to Z" in phrases
    assert len(phrases) > 100


def test_every_spanish_page_is_spanish(client, rows):
    walked = spanish_pages()
    assert len(walked) >= 5 + 4 + 2  # fixed pages, the four fixture articles, thanks, 404
    for url, status in walked:
        response = client.get(url)
        assert response.status_code == status, url
        # No page sets a cookie, the contact form and its thank-you page included.
        assert not response.cookies, url
        page = soup(response)
        assert page.html["lang"] == "es", url
        assert page.title.get_text().strip(), url
        if status == 200 and "/search/" in url:
            # Search pages are kept out of search engines: noindex, and no canonical address.
            assert "noindex" in page.find("meta", attrs={"name": "robots"})["content"], url
            assert page.find("link", rel="canonical") is None, url
        elif status == 200:
            canonical = page.find("link", rel="canonical")["href"]
            # The form opened from a condition's page is the one form: its address has no query.
            expected = url.partition("?condition=")[0]
            assert canonical == settings.SITE_URL + expected, url
            description = page.find("meta", attrs={"name": "description"})["content"]
            # The thank-you page is noindex and has none, in English too.
            assert description.strip() or "/gracias/" in url, url


def test_no_english_sentence_is_left_on_a_spanish_page(client, rows):
    phrases = english_phrases()
    for url, _status in spanish_pages():
        text = visible_text(soup(client.get(url)))
        left = sorted(p for p in phrases if p in text)
        assert left == [], url


@pytest.mark.parametrize("name", FIXED_PAGES)
def test_fixed_pages_have_translated_titles_and_link_both_ways(client, rows, name):
    english_url = language.reverse_in("en", name)
    spanish_url = language.reverse_in("es", name)
    english, spanish = soup(client.get(english_url)), soup(client.get(spanish_url))
    assert english.html["lang"] == "en-us"
    if name == "pages:home":  # the clinic's name alone, in both languages
        assert english.h1.get_text() != spanish.h1.get_text()
    else:
        assert english.title.get_text() != spanish.title.get_text()
    description = {"name": "description"}
    assert (
        english.find("meta", attrs=description)["content"]
        != spanish.find("meta", attrs=description)["content"]
    )
    expected = {"en": settings.SITE_URL + english_url, "es": settings.SITE_URL + spanish_url,
                "x-default": settings.SITE_URL + english_url}  # fmt: skip
    assert head_links(english) == head_links(spanish) == expected
    switch = spanish.select_one(".app-header__language a")
    assert (switch["href"], switch["lang"], switch.get_text()) == (english_url, "en", "English")
    switch = english.select_one(".app-header__language a")
    assert (switch["href"], switch["lang"], switch.get_text()) == (spanish_url, "es", "Español")


@pytest.mark.parametrize("kind", ["condition", "treatment", "guide"])
def test_an_article_and_its_spanish_version_link_to_each_other(client, rows, kind):
    spanish = rows[kind]
    english = spanish.translation_of
    spanish_page = soup(client.get(spanish.get_absolute_url()))
    english_page = soup(client.get(english.get_absolute_url()))
    expected = {
        "en": settings.SITE_URL + english.get_absolute_url(),
        "es": settings.SITE_URL + spanish.get_absolute_url(),
        "x-default": settings.SITE_URL + english.get_absolute_url(),
    }
    assert head_links(spanish_page) == head_links(english_page) == expected
    assert spanish_page.select_one(".app-header__language a")["href"] == english.get_absolute_url()
    assert english_page.select_one(".app-header__language a")["href"] == spanish.get_absolute_url()
    assert '"inLanguage": "es"' in str(spanish_page.find("script", type="application/ld+json"))
    assert '"inLanguage": "en-US"' in str(english_page.find("script", type="application/ld+json"))


def test_without_a_published_counterpart_there_is_no_hreflang_and_no_link_to_a_404(client, rows):
    solo = soup(client.get(rows["solo"].get_absolute_url()))
    assert head_links(solo) == {}
    assert solo.select_one(".app-header__language a")["href"] == "/"
    # An English article whose Spanish version is a draft links to the Spanish home instead.
    draft = rows["treatment"]
    draft.status = "draft"
    draft.save()
    english = soup(client.get(draft.translation_of.get_absolute_url()))
    assert head_links(english) == {}
    assert english.select_one(".app-header__language a")["href"] == "/es/"
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_spanish_address_for_an_english_only_article_is_a_spanish_404(client, rows):
    english = rows["condition"].translation_of
    response = client.get(f"/es/afecciones/{english.slug}/")
    assert response.status_code == 404
    assert soup(response).html["lang"] == "es"
    # And an English address never shows a Spanish row.
    assert client.get(f"/conditions/{rows['condition'].slug}/").status_code == 404


def test_spanish_pages_show_spanish_lists_and_the_spanish_urgent_advice(client, rows):
    home = visible_text(soup(client.get("/es/")))
    assert rows["condition"].title in home and rows["condition"].translation_of.title not in home
    condition = soup(client.get(rows["condition"].get_absolute_url()))
    card = condition.select_one(".app-urgent-card")
    assert "no puede controlar la orina" in card.get_text()
    assert not card.find(lang="en")
    assert "Síntomas" in [h.get_text() for h in condition.find_all("h2")]
    urgent = soup(client.get("/es/ayuda-urgente/"))
    assert urgent.h1.get_text() == rows["advice"].title


def test_the_spanish_page_shows_its_own_review_date_the_spanish_way(client, rows):
    condition = rows["condition"]
    text = visible_text(soup(client.get(condition.get_absolute_url())))
    from django.utils import formats, translation

    with translation.override("es"):
        day = formats.date_format(condition.last_reviewed_on, r"j \d\e F \d\e Y")
    assert f"Revisión médica: Nombre de prueba, MD, el {day}." in text
    assert " de 20" in day


def test_without_spanish_urgent_advice_the_english_one_shows_marked_english(client, rows):
    UrgentAdvice.objects.in_language("es").delete()
    urgent = soup(client.get("/es/ayuda-urgente/"))
    assert urgent.html["lang"] == "es"
    assert urgent.h1.get_text() == "Dolor de espalda: cuándo buscar ayuda urgente"
    assert urgent.select_one("main div[lang=en]")
    card = soup(client.get(rows["condition"].get_absolute_url())).select_one(".app-urgent-card")
    assert card.find("div", lang="en")


def test_the_sitemap_lists_both_languages(client, rows):
    xml = client.get("/sitemap.xml").content.decode()
    for url in ("/", "/es/", "/es/afecciones/", "/conditions/", "/es/contacto/"):
        assert f"<loc>http://testserver{url}</loc>" in xml
    assert f"<loc>http://testserver{rows['condition'].get_absolute_url()}</loc>" in xml


def count_queries(client, url):
    pages.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_spanish_article_queries_match_english_and_do_not_grow(client, rows):
    from tests.factories import ConditionFactory, TreatmentFactory

    spanish = rows["condition"]
    few = count_queries(client, spanish.get_absolute_url())
    for n in range(6):
        spanish.treatments.add(TreatmentFactory(language="es", slug=f"es-extra-{n}"))
        spanish.related_conditions.add(ConditionFactory(language="es", slug=f"es-rel-{n}"))
    assert count_queries(client, spanish.get_absolute_url()) == few
    assert few == count_queries(client, spanish.translation_of.get_absolute_url()) == 11


@pytest.mark.parametrize("name", FIXED_PAGES[:4])
def test_spanish_fixed_page_queries_stay_flat(client, rows, name):
    assert count_queries(client, language.reverse_in("es", name)) <= 6  # with the area counts


def test_english_pages_are_unchanged(client, rows):
    expected = {
        "/": "Cutting Edge Pain",
        "/conditions/": "Conditions A to Z | Cutting Edge Pain",
        "/treatments/": "Treatments | Cutting Edge Pain",
        "/contact/": "Contact us | Cutting Edge Pain",
    }
    for url, title in expected.items():
        page = soup(client.get(url))
        assert page.html["lang"] == "en-us"
        assert page.title.get_text() == title


def test_spanish_pages_give_the_phone_number_in_digits(client):
    page = soup(client.get("/es/"))
    call = page.select_one(".app-get-help__phone")
    assert call["href"] == "tel:+15744047246"
    assert "574-404-7246" in call.get_text() and "PAIN" not in call.get_text()
    assert "PAIN" not in page.get_text()
    assert "574-404-PAIN" in soup(client.get("/")).select_one(".app-get-help__phone").get_text()
