"""The language comes from the address alone: /es/… is Spanish, every other address English,
whatever the browser asks for; and the page cache never serves one language for the other."""

import pytest
from django.urls import reverse

from clinic_site.core import language
from clinic_site.core.pagecache.middleware import pages

pytestmark = pytest.mark.django_db


def test_an_english_address_stays_english_whatever_the_browser_prefers(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert b'<html lang="en-us">' in response.content
    assert "Vary" not in response or "Accept-Language" not in response["Vary"]
    assert not response.cookies


def test_a_language_cookie_changes_nothing(client):
    client.cookies["django_language"] = "es"
    response = client.get("/conditions/")
    assert b'<html lang="en-us">' in response.content
    assert b"Conditions A to Z" in response.content


def test_the_spanish_home_is_spanish_and_sets_no_cookie(client):
    response = client.get("/es/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert b'<html lang="es">' in response.content
    assert response["Content-Language"] == "es"
    assert not response.cookies


def test_english_addresses_are_unchanged():
    assert reverse("pages:home") == "/"
    assert reverse("conditions:list") == "/conditions/"
    assert reverse("conditions:detail", kwargs={"slug": "x"}) == "/conditions/x/"
    assert reverse("conditions:treatment_list") == "/treatments/"
    assert reverse("conditions:guide", kwargs={"slug": "x"}) == "/guides/x/"
    assert reverse("pages:urgent") == "/urgent-help/"
    assert reverse("contact:form") == "/contact/"
    assert reverse("robots") == "/robots.txt"
    assert reverse("sitemap") == "/sitemap.xml"


def test_spanish_addresses_have_spanish_words():
    def es(name, **kwargs):
        return language.reverse_in("es", name, kwargs=kwargs or None)

    assert es("pages:home") == "/es/"
    assert es("conditions:list") == "/es/afecciones/"
    assert es("conditions:detail", slug="x") == "/es/afecciones/x/"
    assert es("conditions:treatment_list") == "/es/tratamientos/"
    assert es("conditions:guide", slug="x") == "/es/guias/x/"
    assert es("pages:urgent") == "/es/ayuda-urgente/"
    assert es("contact:form") == "/es/contacto/"


def test_no_english_copy_under_en(client):
    assert client.get("/en/").status_code == 404
    assert client.get("/en/conditions/").status_code == 404


def test_a_spanish_address_without_its_slash_is_redirected(client):
    response = client.get("/es")
    assert response.status_code == 301
    assert response["Location"] == "/es/"


def test_an_unknown_spanish_address_is_a_spanish_404(client):
    response = client.get("/es/no-existe/")
    assert response.status_code == 404
    assert b'<html lang="es">' in response.content
    assert "No encontramos la página".encode() in response.content


@pytest.mark.parametrize(
    ("english", "spanish"),
    [("/", "/es/"), ("/conditions/", "/es/afecciones/"), ("/urgent-help/", "/es/ayuda-urgente/")],
)
def test_the_page_cache_never_serves_one_language_for_the_other(client, english, spanish):
    pages.clear()
    first = client.get(english)
    assert b'<html lang="en-us">' in first.content
    # Spanish after English (both now stored), then English again, the second time from the
    # store, with a browser that prefers Spanish.
    assert b'<html lang="es">' in client.get(spanish).content
    assert b'<html lang="es">' in client.get(spanish).content
    again = client.get(english, HTTP_ACCEPT_LANGUAGE="es")
    assert again.content == first.content
    assert len(pages) >= 2


def test_the_language_is_not_left_active_after_a_spanish_request(client):
    client.get("/es/")
    assert reverse("pages:home") == "/"


def test_the_page_cache_keeps_an_article_and_its_spanish_version_apart(client):
    from tests.factories import ConditionFactory

    english = ConditionFactory(title="English words", slug="same-slug")
    spanish = ConditionFactory(
        title="Palabras en español", slug="same-slug", language="es", translation_of=english
    )
    pages.clear()
    for _ in range(2):  # the second time, both come from the store
        en = client.get("/conditions/same-slug/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
        es = client.get("/es/afecciones/same-slug/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "English words" in en and "Palabras en español" not in en
        assert "Palabras en español" in es and "English words" not in es.split("<main")[1]
    assert spanish.get_absolute_url() == "/es/afecciones/same-slug/"
