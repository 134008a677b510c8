"""Drafts and scheduled articles stay off every public page until their publish time comes."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from conditions.models import Article
from tests.conditions.staff import REVIEWERS, change_form_data, logged_in
from tests.factories import ConditionFactory, GuideFactory, TreatmentFactory

pytestmark = pytest.mark.django_db

DRAFT = Article.Status.DRAFT
PUBLISHED = Article.Status.PUBLISHED
CLINIC = zoneinfo.ZoneInfo("America/Indiana/Indianapolis")


def hidden_kinds():
    """A draft and a scheduled article of every kind."""
    future = timezone.now() + datetime.timedelta(days=3)
    return [
        factory(status=status, publish_at=future if status == PUBLISHED else timezone.now())
        for factory in (ConditionFactory, TreatmentFactory, GuideFactory)
        for status in (DRAFT, PUBLISHED)
    ]


def test_drafts_and_scheduled_articles_are_404_to_the_public(client):
    for article in hidden_kinds():
        assert client.get(article.get_absolute_url()).status_code == 404, article


def test_drafts_and_scheduled_articles_are_absent_from_lists(client):
    hidden = hidden_kinds()
    pages = [
        client.get(reverse(name)).content.decode()
        for name in ("pages:home", "conditions:list", "conditions:treatment_list")
    ]
    for article in hidden:
        for html in pages:
            assert article.get_absolute_url() not in html
            assert article.title not in html


def test_drafts_and_scheduled_articles_are_absent_from_the_sitemap(client):
    hidden = hidden_kinds()
    live = ConditionFactory()
    xml = client.get(reverse("sitemap")).content.decode()
    assert live.get_absolute_url() in xml
    for article in hidden:
        assert article.get_absolute_url() not in xml


def test_drafts_and_scheduled_articles_are_absent_from_related_links(client):
    hidden_condition, scheduled_condition, hidden_treatment, scheduled_treatment, *guides = (
        hidden_kinds()
    )
    condition = ConditionFactory()
    condition.treatments.add(hidden_treatment, scheduled_treatment)
    condition.related_conditions.add(hidden_condition, scheduled_condition)
    for guide in guides:
        guide.related_conditions.add(condition)
    treatment = TreatmentFactory()
    treatment.conditions.add(hidden_condition, scheduled_condition)

    pages = client.get(condition.get_absolute_url()).content.decode()
    pages += client.get(treatment.get_absolute_url()).content.decode()

    for article in [hidden_condition, scheduled_condition, hidden_treatment, *guides]:
        assert article.get_absolute_url() not in pages
    assert scheduled_treatment.get_absolute_url() not in pages


def test_a_scheduled_article_appears_at_exactly_its_publish_time(client):
    go_live = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=CLINIC)
    with time_machine.travel(go_live - datetime.timedelta(days=1), tick=False):
        article = ConditionFactory(status=PUBLISHED, publish_at=go_live)
    url = article.get_absolute_url()

    with time_machine.travel(go_live - datetime.timedelta(microseconds=1), tick=False):
        assert client.get(url).status_code == 404
        assert url not in client.get(reverse("conditions:list")).content.decode()
    with time_machine.travel(go_live, tick=False):
        assert client.get(url).status_code == 200
        assert url in client.get(reverse("conditions:list")).content.decode()
        assert url in client.get(reverse("sitemap")).content.decode()


def test_admin_shows_publish_times_in_clinic_time(client):
    logged_in(client, REVIEWERS)
    # 16:00 UTC in July is noon in Indianapolis (EDT, UTC-4).
    article = ConditionFactory(
        status=DRAFT, publish_at=datetime.datetime(2026, 7, 1, 16, 0, tzinfo=datetime.UTC)
    )
    html = client.get(reverse("admin:conditions_condition_change", args=[article.pk])).content
    assert b'name="publish_at_0" value="2026-07-01"' in html
    assert b'name="publish_at_1" value="12:00:00"' in html


def test_admin_takes_publish_times_in_clinic_time(client):
    logged_in(client, REVIEWERS)
    article = ConditionFactory(status=DRAFT)
    data = change_form_data(
        article, status=PUBLISHED, publish_at_0="2026-12-01", publish_at_1="09:00:00"
    )
    response = client.post(reverse("admin:conditions_condition_change", args=[article.pk]), data)
    assert response.status_code == 302
    article.refresh_from_db()
    # 9:00 in December in Indianapolis (EST, UTC-5) is 14:00 UTC.
    assert article.publish_at == datetime.datetime(2026, 12, 1, 14, 0, tzinfo=datetime.UTC)
    assert article.status == PUBLISHED
