"""contact/crosssite.py: the contact form and its thank-you page set no cookie, in either
language, and a post from another site is still refused: by the browser's Sec-Fetch-Site and
Origin headers, and without them by the form's signed token, bound to the client's address."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from contact.forms import TOKEN_FIELD, read_form_token
from contact.models import Inquiry, RateLimitCount
from tests.contact.factories import client_at, form_post, served_token

pytestmark = pytest.mark.django_db

FORMS = ["/contact/", "/es/contacto/"]
OWN_ORIGIN = "http://testserver"
BROWSER = {"HTTP_ORIGIN": OWN_ORIGIN, "HTTP_SEC_FETCH_SITE": "same-origin"}


def browser():
    """A client that enforces CSRF as a browser's requests meet it (Django's test client skips
    the check unless asked)."""
    return Client(enforce_csrf_checks=True)


def text_of(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


# No cookie ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", FORMS)
def test_the_form_its_errors_and_the_thank_you_page_set_no_cookie(url):
    client = browser()
    page = client.get(url)
    assert page.status_code == 200 and not page.cookies
    assert "csrfmiddlewaretoken" not in page.content.decode()

    mistake = client.post(url, form_post(email="not an email"), **BROWSER)
    assert mistake.status_code == 200 and not mistake.cookies

    sent = client.post(url, form_post(), **BROWSER)
    assert sent.status_code == 302 and not sent.cookies
    thanks = client.get(sent["Location"])
    assert thanks.status_code == 200 and not thanks.cookies
    assert Inquiry.objects.count() == 1
    assert not client.cookies


def test_the_admin_keeps_its_csrf_cookie_and_check():
    client = browser()
    login = client.get(reverse("admin:login"))
    assert "csrftoken" in login.cookies
    refused = client.post(reverse("admin:login"), {"username": "x", "password": "y"}, **BROWSER)
    assert refused.status_code == 403


# Posts from another site ------------------------------------------------------------------------


CROSS_SITE = [
    pytest.param({"HTTP_ORIGIN": "https://evil.example"}, id="origin-another-site"),
    pytest.param({"HTTP_ORIGIN": "null"}, id="origin-null"),
    pytest.param({"HTTP_ORIGIN": "http://testserver.evil.example"}, id="origin-lookalike"),
    pytest.param({"HTTP_ORIGIN": "https://testserver"}, id="origin-other-scheme"),
    pytest.param({"HTTP_SEC_FETCH_SITE": "cross-site"}, id="fetch-cross-site"),
    pytest.param({"HTTP_SEC_FETCH_SITE": "same-site"}, id="fetch-same-site"),
    pytest.param(
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": OWN_ORIGIN}, id="fetch-says-cross"
    ),
    pytest.param(
        {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "https://evil.example"},
        id="origin-says-cross",
    ),
]


@pytest.mark.parametrize("headers", CROSS_SITE)
def test_a_post_from_another_site_is_refused_with_a_clear_page(headers, settings):
    settings.CONTACT_RATE_LIMIT = "1/10m"
    response = browser().post("/contact/", form_post(), **headers)
    assert response.status_code == 403
    text = text_of(response)
    assert "We could not accept this form" in text
    assert "sent from another website" in text
    assert "574-404-7246" in text and "911" in text
    page = BeautifulSoup(response.content, "html.parser")
    assert page.find("a", href="/contact/") is not None
    assert not response.cookies
    assert not Inquiry.objects.exists()
    # Refused before it could count: the patient's own form still goes through.
    assert not RateLimitCount.objects.exists()
    assert browser().post("/contact/", form_post(), **BROWSER).status_code == 302


def test_the_refusal_is_in_spanish_on_the_spanish_form():
    response = browser().post("/es/contacto/", form_post(), HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    page = BeautifulSoup(response.content, "html.parser")
    assert page.html["lang"] == "es"
    assert "We could not accept" not in text_of(response)
    assert page.find("a", href="/es/contacto/") is not None


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(BROWSER, id="same-origin"),
        pytest.param({"HTTP_SEC_FETCH_SITE": "none"}, id="the-patients-own-action"),
        pytest.param({"HTTP_ORIGIN": OWN_ORIGIN}, id="origin-only"),
        pytest.param({}, id="no-headers-same-address"),
    ],
)
def test_a_post_from_our_own_page_is_taken(headers):
    assert browser().post("/contact/", form_post(), **headers).status_code == 302
    assert Inquiry.objects.count() == 1


@pytest.mark.parametrize(
    "trusted", ["https://www.clinic.example", "https://*.clinic.example"], ids=["exact", "wildcard"]
)
def test_an_origin_in_csrf_trusted_origins_is_taken(settings, trusted):
    """A proxy that serves the site at another origin (DJANGO_CSRF_TRUSTED_ORIGINS)."""
    settings.CSRF_TRUSTED_ORIGINS = [trusted]
    origin = {"HTTP_ORIGIN": "https://www.clinic.example"}
    assert browser().post("/contact/", form_post(), **origin).status_code == 302
    evil = {"HTTP_ORIGIN": "https://www.evil.example"}
    assert browser().post("/contact/", form_post(), **evil).status_code == 403


# The signed token ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token", [None, "", "forged.token.value"], ids=["absent", "empty", "forged"]
)
def test_a_post_without_a_valid_signed_token_is_refused_even_from_our_own_page(token):
    response = browser().post("/contact/", form_post(**{TOKEN_FIELD: token}), **BROWSER)
    assert response.status_code == 400
    assert "could not accept this form" in text_of(response)
    assert not Inquiry.objects.exists()


def test_the_served_token_names_the_client_it_was_served_to():
    page = BeautifulSoup(browser().get("/contact/").content, "html.parser")
    token = read_form_token(page.find("input", attrs={"name": TOKEN_FIELD})["value"])
    assert token.client == client_at("127.0.0.1") != client_at("203.0.113.9")
    assert "127.0.0.1" not in token.client


def test_a_token_served_elsewhere_posted_without_browser_headers_comes_back_to_send_again(
    settings,
):
    """An old browser posting a form that another site fetched from its own server: the token
    names that server's address. Nothing is stored; the form comes back, as typed, with a fresh
    token for this client, and sending it again from here works."""
    settings.CONTACT_MIN_SECONDS = 0  # the fresh token is served now; a person takes longer
    client = browser()
    forged = form_post(name="Sam Example", **{TOKEN_FIELD: served_token(address="203.0.113.9")})
    response = client.post("/contact/", forged)
    assert response.status_code == 200
    assert not Inquiry.objects.exists()
    page = BeautifulSoup(response.content, "html.parser")
    assert "Please check your details, then send the form again." in text_of(response)
    assert page.find("input", attrs={"name": "name"})["value"] == "Sam Example"
    fresh = page.find("input", attrs={"name": TOKEN_FIELD})["value"]
    assert read_form_token(fresh).client == client_at("127.0.0.1")
    assert client.post("/contact/", {**forged, TOKEN_FIELD: fresh}).status_code == 302


def test_a_patient_whose_address_changed_is_taken_when_the_browser_vouches_for_the_page():
    """A phone moving from Wi-Fi to mobile data between loading the form and sending it."""
    moved = form_post(**{TOKEN_FIELD: served_token(address="203.0.113.9")})
    assert browser().post("/contact/", moved, **BROWSER).status_code == 302
