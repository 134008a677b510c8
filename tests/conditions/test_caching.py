"""Cached public pages never go stale: an edit, publish or unpublish shows on the very next
anonymous request, and so does a change to an article's sources or images."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conditions.caching import content_fingerprint
from conditions.models import Article, ArticleImage, Reference
from tests.conditions.staff import REVIEWERS, change_form_data, logged_in
from tests.conditions.test_images import png
from tests.factories import ConditionFactory

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
    return client.get(url).content.decode()


def test_an_anonymous_page_is_served_from_the_cache(client):
    url = ConditionFactory().get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert len(ctx) == 1  # the content fingerprint only


def test_an_edit_shows_on_the_next_request(client, reviewer):
    article = ConditionFactory(title="Old title")
    assert "Old title" in html(client, article.get_absolute_url())
    admin_save(reviewer, article, title="New title", overview="New words.")
    page = html(client, article.get_absolute_url())
    assert "New title" in page and "New words." in page
    assert "Old title" not in page


def test_publishing_shows_on_the_next_request(client, reviewer):
    article = ConditionFactory(status=Article.Status.DRAFT, title="Coming soon")
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Coming soon" not in html(client, reverse("conditions:list"))
    admin_save(reviewer, article, status=Article.Status.PUBLISHED)
    assert client.get(article.get_absolute_url()).status_code == 200
    assert "Coming soon" in html(client, reverse("conditions:list"))


def test_unpublishing_shows_on_the_next_request(client, reviewer):
    article = ConditionFactory(title="Going away")
    assert client.get(article.get_absolute_url()).status_code == 200
    assert "Going away" in html(client, reverse("conditions:list"))
    admin_save(reviewer, article, status=Article.Status.DRAFT)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Going away" not in html(client, reverse("conditions:list"))
    assert article.get_absolute_url() not in html(client, reverse("sitemap"))


def test_a_new_source_shows_without_its_article_being_saved(client):
    article = ConditionFactory()
    client.get(article.get_absolute_url())
    reference = Reference.objects.create(article=article, title="Fresh source", position=1)
    assert "Fresh source" in html(client, article.get_absolute_url())
    reference.title = "Renamed source"
    reference.save()
    assert "Renamed source" in html(client, article.get_absolute_url())
    reference.delete()
    assert 'id="sources"' not in html(client, article.get_absolute_url())


def test_an_image_change_shows_without_its_article_being_saved(client):
    article = ConditionFactory()
    image = ArticleImage.objects.create(
        article=article, section="overview", alt="First alt.", image=png(40, 30)
    )
    assert "First alt." in html(client, article.get_absolute_url())
    image.alt = "Second alt."
    image.save()
    assert "Second alt." in html(client, article.get_absolute_url())
    image.delete()
    assert "Second alt." not in html(client, article.get_absolute_url())


def test_the_fingerprint_follows_sources_and_images():
    article = ConditionFactory()
    before = content_fingerprint()
    Reference.objects.create(article=article, title="A source")
    after_reference = content_fingerprint()
    ArticleImage.objects.create(article=article, section="overview", alt="A.", image=png(40, 30))
    assert len({before, after_reference, content_fingerprint()}) == 3


def test_the_fingerprint_is_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        content_fingerprint()


def test_a_scheduled_article_shows_on_the_first_request_after_its_time(client, time_machine):
    from django.utils import timezone

    go_live = timezone.now() + timezone.timedelta(hours=2)
    scheduled = ConditionFactory(title="Coming soon", publish_at=go_live)
    list_url = reverse("conditions:list")

    time_machine.move_to(go_live - timezone.timedelta(seconds=1), tick=False)
    assert "Coming soon" not in html(client, list_url)
    assert "Coming soon" not in html(client, list_url)  # now from the cache
    time_machine.move_to(go_live, tick=False)
    assert "Coming soon" in html(client, list_url)
    assert client.get(scheduled.get_absolute_url()).status_code == 200


def test_the_fingerprint_changes_with_the_time_only_when_something_goes_live(time_machine):
    from django.utils import timezone

    go_live = timezone.now() + timezone.timedelta(days=1)
    ConditionFactory(publish_at=go_live)
    time_machine.move_to(go_live - timezone.timedelta(hours=1), tick=False)
    before = content_fingerprint()
    time_machine.move_to(go_live - timezone.timedelta(minutes=1), tick=False)
    assert content_fingerprint() == before
    time_machine.move_to(go_live, tick=False)
    assert content_fingerprint() != before


def test_a_stored_page_keeps_every_security_header(client):
    condition = ConditionFactory()
    first = client.get(condition.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        second = client.get(condition.get_absolute_url())
    assert len(queries) == 1  # the fingerprint, nothing else
    assert second.content == first.content
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options",
                   "Referrer-Policy", "Content-Type"):  # fmt: skip
        assert second[header] == first[header], header
    assert not second.cookies


def test_a_stored_page_is_not_served_to_a_host_we_do_not_serve(client):
    condition = ConditionFactory()
    client.get(condition.get_absolute_url())
    response = client.get(condition.get_absolute_url(), HTTP_HOST="evil.example")
    assert response.status_code == 400


def test_a_reader_with_a_session_gets_a_fresh_render(client, admin_client):
    condition = ConditionFactory(title="Before")
    client.get(condition.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        admin_client.get(condition.get_absolute_url())
    assert len(queries) > 1


def test_query_strings_do_not_make_new_stored_pages(client):
    from conditions.caching import pages

    condition = ConditionFactory()
    for n in range(20):
        client.get(f"{condition.get_absolute_url()}?x={n}")
    assert len(pages._pages) == 1
