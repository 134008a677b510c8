"""The site's own pages: home, urgent help, robots.txt, the favicon and the sitemap."""

import pytest
from bs4 import BeautifulSoup
from django.templatetags.static import static
from django.urls import reverse

from clinic_site.core import language
from clinic_site.core.language import ENGLISH, SPANISH
from conditions.models import Article, UrgentAdvice
from tests.brief import AFTER_PROCEDURE, AFTER_PROCEDURE_ES, CALL_911, EVERY_SIGN, EVERY_SIGN_ES
from tests.factories import ConditionFactory, GuideFactory, TreatmentFactory
from tests.spanish import spanish_rows

pytestmark = pytest.mark.django_db


def text_of(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").main.get_text().split())


def test_the_urgent_page_shows_every_sign_from_the_urgent_advice(client):
    response = client.get(reverse("pages:urgent"))
    assert response.status_code == 200
    text = text_of(response)
    for sign in EVERY_SIGN:
        assert sign in text, sign
    assert b'href="tel:+15744047246"' in response.content


@pytest.mark.parametrize("factory", [ConditionFactory, GuideFactory])
def test_every_back_pain_article_carries_the_whole_urgent_advice(client, factory):
    text = text_of(client.get(factory().get_absolute_url()))
    for sign in EVERY_SIGN:
        assert sign in text, sign


def test_the_spanish_urgent_page_shows_every_sign_from_the_spanish_urgent_advice(client):
    response = client.get("/es/ayuda-urgente/")
    assert response.status_code == 200
    text = text_of(response)
    for sign in EVERY_SIGN_ES:
        assert sign in text, sign


def test_treatment_pages_carry_the_signs_after_a_procedure_not_the_back_pain_card(client):
    text = text_of(client.get(TreatmentFactory().get_absolute_url()))
    assert CALL_911[0] not in text
    for sign in AFTER_PROCEDURE:
        assert sign in text, sign


@pytest.mark.parametrize("url", ["/es/afecciones/ciatica/", "/es/guias/su-primera-visita/"])
def test_spanish_articles_carry_the_whole_spanish_urgent_advice(client, url):
    text = text_of(client.get(url))
    for sign in EVERY_SIGN_ES:
        assert sign in text, sign


def test_spanish_treatment_pages_carry_the_spanish_signs_after_a_procedure(client):
    text = text_of(client.get("/es/tratamientos/crioablacion/"))
    for sign in AFTER_PROCEDURE_ES:
        assert sign in text, sign


def test_one_edit_to_the_urgent_advice_shows_on_every_page_that_carries_it(client):
    pages = [reverse("pages:urgent"), ConditionFactory().get_absolute_url(),
             GuideFactory().get_absolute_url()]  # fmt: skip
    advice = UrgentAdvice.objects.current()
    advice.same_day = advice.same_day.replace("a fever", "a high temperature (fever)")
    advice.save()
    for url in pages:
        assert "a high temperature (fever)" in text_of(client.get(url)), url


def test_a_draft_of_the_urgent_advice_is_not_shown_until_published(client):
    live = UrgentAdvice.objects.current()
    draft = UrgentAdvice.objects.create(
        slug="urgent-help-next", title="Next version", summary="Draft.",
        emergency="- a sign still in review", status=Article.Status.DRAFT,
    )  # fmt: skip
    assert "a sign still in review" not in text_of(client.get(reverse("pages:urgent")))
    draft.status = Article.Status.PUBLISHED
    draft.save()
    assert UrgentAdvice.objects.current() == draft != live
    assert "a sign still in review" in text_of(client.get(reverse("pages:urgent")))


def test_without_published_urgent_advice_the_page_still_says_call_911(client):
    UrgentAdvice.objects.update(status=Article.Status.DRAFT)
    response = client.get(reverse("pages:urgent"))
    assert response.status_code == 200
    assert "call 911" in text_of(response)
    assert b'href="tel:+15744047246"' in response.content


def test_robots_txt_points_at_the_sitemap_and_lets_everything_be_crawled(client, settings):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines == ["User-agent: *", "Disallow:", f"Sitemap: {settings.SITE_URL}/sitemap.xml"]


# The admin's address is told to nobody -----------------------------------------------------------


PUBLIC_PAGES = ("pages:home", "pages:urgent", "contact:form", "conditions:list",
                "conditions:treatment_list")  # fmt: skip
NOT_FOUND = ("/no-such-page/", "/es/no-such-page/")


def public_pages(articles):
    """Every kind of public page, in both languages, and the site's files for robots."""
    pages = ["/robots.txt", "/sitemap.xml", *NOT_FOUND]
    for code in (ENGLISH, SPANISH):
        pages += [language.reverse_in(code, name) for name in PUBLIC_PAGES]
        pages += [
            language.reverse_in(code, "search:results") + "?q=back",
            language.reverse_in(code, "search:suggest") + "?q=back",
        ]
    return pages + [article.get_absolute_url() for article in articles]


def test_no_public_page_says_where_the_admin_is(client, secret_admin_address):
    spanish = spanish_rows().values()
    articles = [*spanish, *(row.translation_of for row in spanish if row.translation_of_id)]
    assert client.get(f"/{secret_admin_address}/login/").status_code == 200
    assert client.get("/admin/login/").status_code == 404
    for url in public_pages(articles):
        response = client.get(url)
        assert response.status_code == (404 if url in NOT_FOUND else 200), url
        said = response.content.decode() + " ".join(f"{k}: {v}" for k, v in response.items())
        assert secret_admin_address not in said, url
        assert "/admin/" not in said, url


def test_sitemap_lists_published_articles_only(client):
    live = ConditionFactory()
    draft = ConditionFactory(status=Article.Status.DRAFT)
    treatment = TreatmentFactory()
    xml = client.get("/sitemap.xml").content.decode()
    assert live.get_absolute_url() in xml
    assert treatment.get_absolute_url() in xml
    assert draft.get_absolute_url() not in xml
    assert reverse("pages:urgent") in xml


def test_favicon_redirects_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".svg")


def test_pages_declare_the_icon_as_a_cached_static_file_and_allow_no_data_images(client):
    response = client.get("/")
    icon = BeautifulSoup(response.content, "html.parser").find("link", rel="icon")
    assert icon["href"] == static("img/favicon.svg")
    assert icon["type"] == "image/svg+xml"
    directives = dict(
        d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";")
    )
    assert directives["img-src"] == "'self'"
