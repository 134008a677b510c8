"""The contact pages: the form, post/redirect/get, the thank-you page, spam and rate limits."""

import logging
import re

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.urls import reverse
from django.views.debug import SafeExceptionReporterFilter
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from contact import ratelimit
from contact.forms import HONEYPOT_FIELD, TOKEN_FIELD
from contact.models import Inquiry, RateLimitCount
from tests.contact.factories import form_post, served_token
from tests.factories import ConditionFactory

pytestmark = pytest.mark.django_db

FORM_URL = "/contact/"
PATIENT_TEXT = "Zebra-Quokka-Secret"


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def post(client, data, **extra):
    return client.post(FORM_URL, data, **extra)


# The page ------------------------------------------------------------------------------------


def test_the_form_page_warns_about_medical_details_and_emergencies(client):
    response = client.get(FORM_URL)
    assert response.status_code == 200
    page = soup(response)
    notice = page.find(id="contact-before-you-write").find_parent("aside").get_text(" ")
    assert "detailed medical information" in notice
    assert "911" in notice
    phone = page.find("aside").find("a", href="tel:+15744047246")
    assert phone is not None and "574-404-7246" in phone.get_text()


def test_the_form_page_is_never_cached(client):
    response = client.get(FORM_URL)
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_the_form_has_every_field_a_label_and_no_inline_script_or_style(client):
    page = soup(client.get(FORM_URL))
    form = page.find("form", class_="app-form")
    for name in ("name", "email", "phone", "message", "condition", "consent"):
        control = form.find(attrs={"name": name})
        assert page.find("label", attrs={"for": control["id"]}), name
    for name in ("preferred_contact", "reason"):
        assert form.find("input", attrs={"name": name}).find_parent("fieldset").legend
    assert form.find("input", attrs={"name": HONEYPOT_FIELD})
    assert form.find("input", attrs={"name": TOKEN_FIELD, "type": "hidden"})["value"]
    assert not page.find_all("script", src=False)
    assert not page.find_all(style=True) and not page.find_all("style")


def test_coming_from_a_condition_page_preselects_the_condition(client):
    condition = ConditionFactory(slug="cluneal-test")
    page = soup(client.get(FORM_URL, {"condition": "cluneal-test"}))
    selected = page.find("select", attrs={"name": "condition"}).find("option", selected=True)
    assert selected["value"] == str(condition.pk)
    assert page.find("input", attrs={"name": "reason", "value": "condition"}).has_attr("checked")


@pytest.mark.parametrize("slug", ["draft-one", "no-such-condition", "x" * 500, "<script>"])
def test_an_unpublished_or_unknown_condition_is_not_preselected(client, slug):
    ConditionFactory(slug="draft-one", status="draft")
    response = client.get(FORM_URL, {"condition": slug})
    assert response.status_code == 200
    select = soup(response).find("select", attrs={"name": "condition"})
    assert select.find("option", selected=True)["value"] == ""


# Post, redirect, get --------------------------------------------------------------------------


def test_a_valid_inquiry_is_stored_and_redirects_to_the_thank_you_page(client):
    response = post(client, form_post(name=PATIENT_TEXT))
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.name == PATIENT_TEXT and inquiry.phone == "+15745550123"
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert inquiry.reference in thanks.content.decode()


def test_the_thank_you_page_shows_only_the_reference(client):
    response = post(
        client, form_post(name=PATIENT_TEXT, email="zebra@example.com", message=PATIENT_TEXT)
    )
    thanks = client.get(response["Location"])
    html = thanks.content.decode()
    assert PATIENT_TEXT not in html and "zebra@example.com" not in html
    assert thanks["X-Robots-Tag"] == "noindex"
    assert "no-cache" in thanks["Cache-Control"] or "no-store" in thanks["Cache-Control"]
    assert "tel:+15744047246" in html and "911" in html


def test_a_made_up_thank_you_address_is_not_found(client):
    post(client, form_post())
    reference = Inquiry.objects.get().reference
    assert client.get(reverse("contact:thanks", args=[reference])).status_code == 404
    forged = reverse("contact:thanks", args=[f"{reference}:not-the-signature"])
    assert client.get(forged).status_code == 404


def test_a_double_click_or_refresh_stores_one_inquiry(client):
    data = form_post()
    first = post(client, data)
    second = post(client, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Inquiry.objects.count() == 1


def test_two_forms_make_two_inquiries(client):
    post(client, form_post())
    post(client, form_post())
    assert Inquiry.objects.count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(("with_condition", "queries"), [(False, 5), (True, 6)])
def test_a_valid_post_only_stores_and_queues(
    client, settings, django_assert_num_queries, with_condition, queries
):
    """Every patient who writes pays for these: one transaction (BEGIN, the inquiry, its
    history row, COMMIT), then the staff email queued; plus the condition looked up once when
    one is chosen. Nothing validated twice, nothing sent. Without Redis the rate limit counts
    in the database: a read of the client's window, then a transaction that counts in it
    (BEGIN, the row read for update, its insert, COMMIT)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    data = form_post(condition=str(ConditionFactory().pk) if with_condition else "")
    if not ratelimit.counts_in_redis():
        queries += 5
    with django_assert_num_queries(queries):
        assert post(client, data).status_code == 302


# Invalid input -------------------------------------------------------------------------------


def test_an_invalid_form_is_shown_again_with_errors_at_the_top_and_nothing_lost(client):
    data = form_post(name=PATIENT_TEXT, email="not-an-email", message="Keep <this> text")
    response = post(client, data)
    assert response.status_code == 200
    assert not Inquiry.objects.exists()
    page = soup(response)
    summary = page.find(class_="govuk-error-summary")
    assert summary is not None and summary["role"] == "alert"
    link = summary.find("a", href="#id_email")
    assert "correct format" in link.get_text()
    email = page.find("input", attrs={"name": "email"})
    assert email["aria-invalid"] == "true"
    described = email["aria-describedby"].split()
    assert all(page.find(id=ref) for ref in described)
    assert any("correct format" in page.find(id=ref).get_text() for ref in described)
    # Nothing typed is lost (and it is escaped on the way back).
    assert page.find("input", attrs={"name": "name"})["value"] == PATIENT_TEXT
    assert email["value"] == "not-an-email"
    assert page.find("textarea", attrs={"name": "message"}).get_text().strip() == (
        "Keep <this> text"
    )
    assert "Keep &lt;this&gt; text" in response.content.decode()
    assert page.title.get_text().startswith("Error:")


def test_an_empty_form_lists_every_problem_and_links_to_each_field(client):
    response = post(client, {HONEYPOT_FIELD: "", TOKEN_FIELD: served_token()})
    assert response.status_code == 200
    page = soup(response)
    links = page.find(class_="govuk-error-summary").find_all("a")
    targets = [link["href"][1:] for link in links]
    assert {"id_name", "id_email", "id_preferred_contact_0", "id_reason_0", "id_message"} <= set(
        targets
    )
    assert all(page.find(id=target) for target in targets)
    for radio in page.find_all("input", attrs={"name": "reason"}):
        assert radio["aria-invalid"] == "true"


BAD_POSTS = [
    {"name": "x" * 5000},
    {"name": "Pat\r\nBcc: victim@example.com"},
    {"email": "pat@example.com\r\nBcc: victim@example.com"},
    {"email": "pat@example.com\nSubject: hi"},
    {"name": "Pat\x00"},
    {"message": "\x00" * 10},
    {"message": "x" * 2001},
    {"phone": "\u202e7246-404-574"},
    {"reason": "<script>alert(1)</script>"},
    {"condition": "1 OR 1=1"},
    {"condition": "-1"},
    {"consent": None},
    {"email": "", "phone": ""},
]


@pytest.mark.parametrize("changes", BAD_POSTS)
def test_bad_input_gets_200_with_the_form_and_stores_nothing(client, changes):
    response = post(client, form_post(**changes))
    assert response.status_code == 200
    assert soup(response).find(class_="govuk-error-summary")
    assert not Inquiry.objects.exists()


@pytest.mark.parametrize("field", ["name", "email", "phone", "message"])
def test_html_and_script_typed_in_any_field_come_back_escaped(client, field):
    payload = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    response = post(client, form_post(**{field: payload, "consent": None}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)" not in html and "<img src=x" not in html


ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    field=st.sampled_from(
        ["name", "email", "phone", "message", "reason", "preferred_contact", "condition"]
    ),
    value=ANY_TEXT,
)
def test_nothing_typed_causes_a_server_error(client, field, value):
    Inquiry.objects.all().delete()
    response = post(client, form_post(**{field: value}), REMOTE_ADDR="10.9.9.9")
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert not Inquiry.objects.exists()
    # Each example starts within the rate limit, wherever it counts (Redis or the database).
    cache.clear()
    RateLimitCount.objects.all().delete()


# Spam -------------------------------------------------------------------------------------------


def test_a_filled_honeypot_is_refused_with_400_and_nothing_stored(client):
    response = post(client, form_post(**{HONEYPOT_FIELD: "http://spam.example"}))
    assert response.status_code == 400
    assert not Inquiry.objects.exists()
    assert "tel:+15744047246" in response.content.decode()


def test_a_replayed_form_without_the_honeypot_is_refused(client):
    response = post(client, form_post(**{HONEYPOT_FIELD: None}))
    assert response.status_code == 400
    assert not Inquiry.objects.exists()


def test_a_forged_token_is_refused(client):
    response = post(client, form_post(**{TOKEN_FIELD: "abc:def"}))
    assert response.status_code == 400
    assert not Inquiry.objects.exists()


def test_a_form_sent_too_fast_is_shown_again_and_not_stored(client, settings):
    settings.CONTACT_MIN_SECONDS = 3
    response = post(client, form_post(name=PATIENT_TEXT, **{TOKEN_FIELD: served_token(1)}))
    assert response.status_code == 200
    assert not Inquiry.objects.exists()
    assert soup(response).find("input", attrs={"name": "name"})["value"] == PATIENT_TEXT


def test_a_form_left_open_too_long_is_shown_again_with_a_fresh_token_that_works(client, settings):
    settings.CONTACT_MAX_AGE_SECONDS = 3600
    data = form_post(**{TOKEN_FIELD: served_token(4000)})
    response = post(client, data)
    assert response.status_code == 200
    assert not Inquiry.objects.exists()
    page = soup(response)
    assert "open for a long time" in page.find(class_="govuk-error-summary").get_text()
    fresh = page.find("input", attrs={"name": TOKEN_FIELD})["value"]
    assert fresh != data[TOKEN_FIELD]
    settings.CONTACT_MIN_SECONDS = 0
    assert post(client, {**data, TOKEN_FIELD: fresh}).status_code == 302
    assert Inquiry.objects.count() == 1


# Rate limit ---------------------------------------------------------------------------------


def test_a_client_over_the_rate_limit_gets_429_with_the_phone_number(client, settings):
    settings.CONTACT_RATE_LIMIT = "2/10m"
    assert post(client, form_post()).status_code == 302
    assert post(client, form_post()).status_code == 302
    response = post(client, form_post())
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    html = response.content.decode()
    assert "tel:+15744047246" in html and "574-404-7246" in html
    assert Inquiry.objects.count() == 2
    # Another client is not affected.
    other = form_post(**{TOKEN_FIELD: served_token(address="192.0.2.77")})
    assert post(client, other, REMOTE_ADDR="192.0.2.77").status_code == 302


def test_spam_counts_against_the_rate_limit(client, settings):
    settings.CONTACT_RATE_LIMIT = "2/1m"
    for _ in range(2):
        post(client, form_post(**{HONEYPOT_FIELD: "spam"}))
    assert post(client, form_post()).status_code == 429


def test_mistakes_do_not_count_against_the_rate_limit(client, settings):
    settings.CONTACT_RATE_LIMIT = "1/1m"
    for _ in range(3):
        assert post(client, form_post(email="bad")).status_code == 200
    assert post(client, form_post()).status_code == 302


def test_behind_a_proxy_the_configured_header_identifies_the_client(client, settings):
    settings.CONTACT_RATE_LIMIT = "1/1m"
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    first = {"HTTP_X_FORWARDED_FOR": "203.0.113.9, 198.51.100.1", **proxy}
    second = {"HTTP_X_FORWARDED_FOR": "198.51.100.2", **proxy}
    served_first = form_post(**{TOKEN_FIELD: served_token(address="198.51.100.1")})
    served_second = form_post(**{TOKEN_FIELD: served_token(address="198.51.100.2")})
    assert post(client, served_first, **first).status_code == 302
    assert post(client, served_first, **first).status_code == 429
    assert post(client, served_second, **second).status_code == 302


def test_a_higher_rate_limit_in_settings_lets_more_through(client, settings):
    settings.CONTACT_RATE_LIMIT = "8/1m"  # more than the default five
    for _ in range(8):
        assert post(client, form_post()).status_code == 302
    assert post(client, form_post()).status_code == 429


# Privacy ----------------------------------------------------------------------------------------


def test_error_reports_hide_every_posted_value(client):
    response = post(client, form_post(name=PATIENT_TEXT, message=PATIENT_TEXT))
    request = response.wsgi_request
    cleansed = SafeExceptionReporterFilter().get_post_parameters(request)
    assert PATIENT_TEXT not in str(dict(cleansed))


def test_nothing_the_patient_typed_is_logged(
    client, caplog, settings, django_capture_on_commit_callbacks
):
    # Port 9 on loopback: nothing listens, so the staff email fails and that is logged too.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    caplog.set_level(logging.DEBUG)
    data = form_post(name=PATIENT_TEXT, message=PATIENT_TEXT, email="zebra@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        post(client, data)
    post(client, {**data, HONEYPOT_FIELD: PATIENT_TEXT, TOKEN_FIELD: served_token()})
    post(client, {**data, "email": PATIENT_TEXT})
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Stored inquiry" in logged and "failed" in logged and "Bad Request" in logged
    assert PATIENT_TEXT not in logged and "zebra@example.com" not in logged


def test_the_reference_is_short_and_readable(client):
    post(client, form_post())
    assert re.fullmatch(r"R-[2-9A-HJKMNP-Z]{6}", Inquiry.objects.get().reference)
