"""Staff who may change articles preview unpublished ones on the real page: marked, uncached,
never indexed. Nobody else sees them."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from conditions.models import Article
from tests.conditions.staff import EDITORS, REVIEWERS, logged_in, staff_user
from tests.factories import ConditionFactory, GuideFactory, TreatmentFactory

pytestmark = pytest.mark.django_db

BANNER = "Preview: not published"


def draft(factory=ConditionFactory, **kwargs):
    return factory(status=Article.Status.DRAFT, title="Unfinished article", **kwargs)


def assert_is_preview(response):
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    banner = page.select_one(".app-banner.app-banner--preview")
    assert banner is not None and BANNER in banner.get_text()
    assert "noindex" in response["X-Robots-Tag"]
    cache_control = response["Cache-Control"]
    for directive in ("no-cache", "no-store", "private"):
        assert directive in cache_control


@pytest.mark.parametrize("factory", [ConditionFactory, TreatmentFactory, GuideFactory])
@pytest.mark.parametrize("group", [EDITORS, REVIEWERS])
def test_staff_with_change_permission_preview_a_draft_on_its_real_address(client, group, factory):
    article = draft(factory)
    logged_in(client, group)
    response = client.get(article.get_absolute_url())
    assert_is_preview(response)
    assert "This is a draft" in response.content.decode()


def test_preview_of_a_scheduled_article_says_when_it_goes_live(client):
    article = ConditionFactory(
        status=Article.Status.PUBLISHED,
        publish_at=timezone.make_aware(datetime.datetime(2031, 5, 4, 15, 30)),
    )
    logged_in(client, EDITORS)
    response = client.get(article.get_absolute_url())
    assert_is_preview(response)
    assert "Scheduled to go live on May 4, 2031, 3:30 p.m." in response.content.decode()


def test_staff_without_the_change_permission_cannot_see_drafts(client):
    """Front-desk staff log in to the admin for inquiries; that is not a right to drafts."""
    article = draft()
    front_desk = staff_user(username="front-desk")
    front_desk.user_permissions.add(*_contact_permissions())
    client.force_login(front_desk)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_change_permission_for_one_kind_does_not_preview_another(client):
    user = staff_user(username="treatments-only")
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="change_treatment"))
    client.force_login(user)
    assert client.get(draft(TreatmentFactory).get_absolute_url()).status_code == 200
    assert client.get(draft().get_absolute_url()).status_code == 404


def test_anonymous_readers_never_get_a_preview_even_after_staff_viewed_it(client):
    article = draft()
    staff_client = type(client)()
    logged_in(staff_client, EDITORS)
    assert staff_client.get(article.get_absolute_url()).status_code == 200
    assert client.get(article.get_absolute_url()).status_code == 404


def test_published_pages_have_no_banner_and_may_be_indexed(client):
    article = ConditionFactory()
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert BANNER not in html
    assert 'name="robots"' not in html
    assert "X-Robots-Tag" not in response


def test_staff_viewing_a_published_page_get_no_banner_and_no_cached_copy(client):
    article = ConditionFactory()
    logged_in(client, EDITORS)
    response = client.get(article.get_absolute_url())
    assert BANNER not in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_view_on_site_in_the_admin_goes_to_the_article_page(client):
    article = draft()
    logged_in(client, EDITORS)
    change = client.get(reverse("admin:conditions_condition_change", args=[article.pk]))
    page = BeautifulSoup(change.content, "html.parser")
    link = page.select_one("a.viewsitelink")
    assert link is not None
    response = client.get(link["href"])
    assert response.status_code == 302
    assert response["Location"].endswith(article.get_absolute_url())
    assert_is_preview(client.get(response["Location"]))


def _contact_permissions():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="contact")
