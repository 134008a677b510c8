"""Stored public pages never go stale, cost one query to serve, answer conditional requests with
304, and keep everything the middleware they skip would have given them.

Each freshness test loads the page first (so it is stored), then changes something, then loads
it again: a stale stored page would fail it.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic_site.core.pagecache.middleware import pages
from conditions.models import Article, ArticleImage, Condition, Reference, UrgentAdvice
from tests.conditions.staff import REVIEWERS, change_form_data, logged_in, revise_and_publish
from tests.factories import ConditionFactory, GuideFactory, TreatmentFactory, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(client):
    staff = type(client)()
    logged_in(staff, REVIEWERS)
    return staff


def admin_save(staff, article, **changes):
    url = reverse("admin:conditions_condition_change", args=[article.pk])
    response = staff.post(url, change_form_data(article, **changes))
    assert response.status_code == 302, response.content[:1000]
    article.refresh_from_db()


def html(client, url):
    response = client.get(url)
    return response.content.decode()


def stored(client, url):
    """Loads `url` twice and checks the second answer came from the store (one query)."""
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert len(queries) == 1, [q["sql"] for q in queries]
    assert second.content == first.content
    return second.content.decode()


# Serving ---------------------------------------------------------------------------------------


def test_a_stored_page_costs_one_query_whatever_the_amount_of_content(client):
    url = ConditionFactory().get_absolute_url()
    stored(client, url)
    Condition.objects.bulk_create(
        Condition(title=f"Bulk {n}", slug=f"bulk-{n}", summary="S.", publish_at=timezone.now())
        for n in range(300)
    )
    stored(client, url)


def test_query_strings_do_not_make_new_stored_pages(client):
    condition = ConditionFactory()
    for n in range(20):
        client.get(f"{condition.get_absolute_url()}?x={n}")
    assert len(pages) == 1


def test_a_reader_with_a_session_gets_a_fresh_render(client, admin_client):
    condition = ConditionFactory(title="Before")
    stored(client, condition.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        admin_client.get(condition.get_absolute_url())
    assert len(queries) > 1


def test_forms_and_error_pages_are_never_stored(client):
    client.get(reverse("contact:form"))
    client.get("/conditions/no-such-page/")
    assert len(pages) == 0


# What a hit skips, and what it keeps ----------------------------------------------------------


def test_a_stored_page_keeps_every_security_header(client):
    url = ConditionFactory().get_absolute_url()
    first = client.get(url)
    second = client.get(url)
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options",
                   "Referrer-Policy", "Cross-Origin-Opener-Policy", "Content-Type",
                   "Cache-Control", "ETag"):  # fmt: skip
        assert second[header] == first[header], header
    assert "default-src 'none'" in second["Content-Security-Policy"]
    assert second["X-Frame-Options"] == "DENY"
    assert not second.cookies


def test_a_stored_page_keeps_hsts_in_production(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    url = ConditionFactory().get_absolute_url()
    client.get(url, secure=True)
    second = client.get(url, secure=True)
    assert second["Strict-Transport-Security"].startswith("max-age=31536000")


def test_a_stored_page_is_not_served_to_a_host_we_do_not_serve(client):
    url = ConditionFactory().get_absolute_url()
    stored(client, url)
    response = client.get(url, HTTP_HOST="evil.example")
    assert response.status_code == 400


def test_a_stored_page_is_compressed_like_a_fresh_one(client):
    url = ConditionFactory().get_absolute_url()
    first = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    second = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == second["Content-Encoding"] == "gzip"


# Conditional requests --------------------------------------------------------------------------


def test_a_browser_that_has_the_page_gets_a_304(client):
    url = ConditionFactory().get_absolute_url()
    etag = client.get(url)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert len(queries) == 1


def test_a_304_needs_the_current_page(client, reviewer):
    article = ConditionFactory(title="Old title")
    etag = client.get(article.get_absolute_url())["ETag"]
    revise_and_publish(reviewer, article, title="New title")
    response = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "New title" in response.content.decode()
    assert response["ETag"] != etag


def test_a_gzipped_pages_weak_etag_still_matches(client):
    url = ConditionFactory().get_absolute_url()
    etag = client.get(url, HTTP_ACCEPT_ENCODING="gzip")["ETag"]
    assert etag.startswith('W/"')
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304


# Freshness: every kind of change shows on the next request -------------------------------------


def test_an_edit_in_the_admin_shows_on_the_next_request(client, reviewer):
    """A live page changes when a medical reviewer publishes its revision."""
    article = ConditionFactory(title="Old title")
    assert "Old title" in stored(client, article.get_absolute_url())
    revise_and_publish(reviewer, article, title="New title", overview="New words.")
    page = html(client, article.get_absolute_url())
    assert "New title" in page and "New words." in page
    assert "Old title" not in page


def test_publishing_shows_on_the_next_request(client, reviewer):
    article = ConditionFactory(status=Article.Status.DRAFT, title="Coming soon")
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Coming soon" not in stored(client, reverse("conditions:list"))
    admin_save(reviewer, article, status=Article.Status.PUBLISHED)
    assert client.get(article.get_absolute_url()).status_code == 200
    assert "Coming soon" in html(client, reverse("conditions:list"))


def test_unpublishing_shows_on_the_next_request(client, reviewer):
    article = ConditionFactory(title="Going away")
    stored(client, article.get_absolute_url())
    assert "Going away" in stored(client, reverse("conditions:list"))
    offline = reverse("admin:conditions_condition_take_offline", args=[article.pk])
    assert reviewer.post(offline).status_code == 302  # its own, deliberate step
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Going away" not in html(client, reverse("conditions:list"))
    assert article.get_absolute_url() not in html(client, reverse("sitemap"))


def test_a_delete_shows_on_the_next_request(client):
    article = ConditionFactory(title="Deleted soon")
    assert "Deleted soon" in stored(client, reverse("conditions:list"))
    article.delete()
    assert "Deleted soon" not in html(client, reverse("conditions:list"))


def test_a_queryset_update_shows_on_the_next_request(client):
    article = ConditionFactory(title="Before the update")
    stored(client, article.get_absolute_url())
    Condition.objects.filter(pk=article.pk).update(title="After the update")
    assert "After the update" in html(client, article.get_absolute_url())


def test_a_many_to_many_change_shows_on_the_next_request(client):
    condition, treatment = ConditionFactory(), TreatmentFactory(title="Linked treatment")
    guide = GuideFactory()
    assert "Linked treatment" not in stored(client, condition.get_absolute_url())
    condition.treatments.add(treatment)
    assert "Linked treatment" in html(client, condition.get_absolute_url())
    stored(client, guide.get_absolute_url())
    guide.related_conditions.add(condition)
    assert condition.get_absolute_url() in html(client, guide.get_absolute_url())
    stored(client, condition.get_absolute_url())
    condition.treatments.clear()
    assert "Linked treatment" not in html(client, condition.get_absolute_url())


def test_a_new_source_shows_without_its_article_being_saved(client):
    article = ConditionFactory()
    stored(client, article.get_absolute_url())
    reference = Reference.objects.create(article=article, title="Fresh source", position=1)
    assert "Fresh source" in html(client, article.get_absolute_url())
    reference.title = "Renamed source"
    reference.save()
    assert "Renamed source" in html(client, article.get_absolute_url())
    reference.delete()
    assert 'id="sources"' not in html(client, article.get_absolute_url())


def test_an_image_change_shows_without_its_article_being_saved(client):
    article = ConditionFactory()
    stored(client, article.get_absolute_url())
    image = ArticleImage.objects.create(
        article=article, section="overview", alt="First alt.", image=png(40, 30)
    )
    assert "First alt." in html(client, article.get_absolute_url())
    image.alt = "Second alt."
    image.save()
    assert "Second alt." in html(client, article.get_absolute_url())
    image.delete()
    assert "Second alt." not in html(client, article.get_absolute_url())


def test_clinic_details_edited_by_staff_show_on_the_next_request(client, admin_client):
    url = ConditionFactory().get_absolute_url()
    assert "(574-404-7246)" in stored(client, url)
    response = admin_client.post(
        reverse("admin:clinic_clinicdetails_change", args=[1]),
        {"name": "Cutting Edge Pain", "phone": "574-555-0199", "phone_letters": "",
         "fax": "574-333-3200", "email": "desk@example.com", "address": "", "hours": ""},
    )  # fmt: skip
    assert response.status_code == 302, response.content[:2000]
    page = html(client, url)
    assert 'href="tel:+15745550199"' in page and "desk@example.com" in page
    assert "574-404-7246" not in page


def test_an_urgent_advice_edit_shows_everywhere_on_the_next_request(client):
    condition = ConditionFactory()
    urgent_url = reverse("pages:urgent")
    stored(client, condition.get_absolute_url())
    stored(client, urgent_url)
    advice = UrgentAdvice.objects.current()
    advice.emergency += "\n- a new sign a reviewer added\n"
    advice.save()
    assert "a new sign a reviewer added" in html(client, condition.get_absolute_url())
    assert "a new sign a reviewer added" in html(client, urgent_url)


def test_a_scheduled_article_shows_on_the_first_request_after_its_time(client, time_machine):
    go_live = timezone.now() + datetime.timedelta(hours=2)
    scheduled = ConditionFactory(title="Coming soon", publish_at=go_live)
    list_url = reverse("conditions:list")

    time_machine.move_to(go_live - datetime.timedelta(seconds=1), tick=False)
    assert "Coming soon" not in stored(client, list_url)
    time_machine.move_to(go_live, tick=False)
    assert "Coming soon" in html(client, list_url)
    assert client.get(scheduled.get_absolute_url()).status_code == 200


def test_pages_stay_stored_while_the_next_scheduled_time_is_still_ahead(client, time_machine):
    go_live = timezone.now() + datetime.timedelta(days=1)
    ConditionFactory(publish_at=go_live)
    url = reverse("conditions:list")
    time_machine.move_to(go_live - datetime.timedelta(hours=1), tick=False)
    client.get(url)
    time_machine.move_to(go_live - datetime.timedelta(minutes=1), tick=False)
    stored(client, url)
