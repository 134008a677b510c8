"""Sources show at the end of the article as a numbered list, in a constant number of queries."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conditions.models import Article, Condition, Guide, Reference
from tests.conditions.staff import EDITORS, change_form_data, logged_in
from tests.factories import ConditionFactory, GuideFactory, TreatmentFactory

pytestmark = pytest.mark.django_db

PREFIX = "conditions-reference-content_type-object_id"


def add_reference(article, **kwargs):
    defaults = {"title": "A source", "publisher": "A journal", "year": 2020, "position": 1}
    return Reference.objects.create(article=article, **{**defaults, **kwargs})


def sources_list(response):
    page = BeautifulSoup(response.content, "html.parser")
    heading = page.find("h2", id="sources")
    assert heading is not None and heading.get_text(strip=True) == "Sources"
    return heading.find_next("ol")


@pytest.mark.parametrize("factory", [ConditionFactory, TreatmentFactory, GuideFactory])
def test_sources_render_as_a_numbered_list_in_their_order(client, factory):
    article = factory()
    add_reference(article, title="Second source", position=2, link="https://doi.org/10.1/two")
    add_reference(article, title="First source", publisher="NICE", year=2016, position=1)

    response = client.get(article.get_absolute_url())
    items = sources_list(response).find_all("li")

    assert "{#" not in response.content.decode()  # no template comment shows
    assert [li.get_text(strip=True) for li in items] == [
        "First source. NICE, 2016.",
        "Second source. A journal, 2020.",
    ]
    link = items[1].find("a")
    assert link["href"] == "https://doi.org/10.1/two"
    assert "noopener" in link["rel"]


def test_the_contents_list_links_to_the_sources(client):
    article = ConditionFactory()
    add_reference(article)
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    assert page.select_one('.app-contents a[href="#sources"]') is not None


def test_an_article_without_sources_has_no_sources_heading(client):
    html = client.get(ConditionFactory().get_absolute_url()).content.decode()
    assert 'id="sources"' not in html


def test_a_source_without_publisher_or_year_reads_cleanly(client):
    article = ConditionFactory()
    add_reference(article, title="Just a title", publisher="", year=None)
    item = sources_list(client.get(article.get_absolute_url())).find("li")
    assert item.get_text(strip=True) == "Just a title."


def test_a_link_that_is_not_a_web_address_is_not_made_a_link(client):
    article = ConditionFactory()
    add_reference(article, title="Bad link", link="javascript:alert(1)")
    item = sources_list(client.get(article.get_absolute_url())).find("li")
    assert item.find("a") is None
    assert "Bad link" in item.get_text()


def test_sources_belong_to_their_own_article_only():
    condition, guide = ConditionFactory(), GuideFactory()
    add_reference(condition, title="Condition source")
    add_reference(guide, title="Guide source")
    assert [r.title for r in condition.references.all()] == ["Condition source"]
    assert [r.title for r in guide.references.all()] == ["Guide source"]
    assert Reference.objects.get(title="Guide source").article == guide


def test_deleting_an_article_deletes_its_sources():
    article = ConditionFactory()
    reference = add_reference(article)
    article.delete()
    assert not Reference.objects.filter(pk=reference.pk).exists()


def queries_for(client, article):
    client.get(article.get_absolute_url())  # warm up anything cached per process
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(article.get_absolute_url()).status_code == 200
    return len(ctx)


def test_page_queries_do_not_grow_with_sources(client):
    few, many = ConditionFactory(), ConditionFactory()
    add_reference(few)
    for n in range(8):
        add_reference(many, title=f"Source {n}", position=n)
    assert queries_for(client, few) == queries_for(client, many)


def test_seeded_sources_are_on_the_cluneal_page_and_the_guide(client):
    condition = Condition.objects.get(slug="cluneal-nerve-entrapment")
    guide = Guide.objects.get(slug="treating-back-and-neck-pain-without-surgery")
    condition_titles = [r.title for r in condition.references.all()]
    guide_titles = [r.title for r in guide.references.all()]

    assert len(condition_titles) == 6
    assert condition_titles[0].startswith("Isu T")
    assert any("cluneal" in t.lower() for t in condition_titles)
    assert [t.split()[0] for t in guide_titles][:3] == ["Low", "Qaseem", "Pengel"]
    assert guide.references.get(publisher="NICE").link == "https://www.nice.org.uk/guidance/ng59"
    for reference in [*condition.references.all(), *guide.references.all()]:
        reference.full_clean()
    items = sources_list(client.get(condition.get_absolute_url())).find_all("li")
    assert len(items) == 6


def test_an_editor_adds_a_source_to_a_draft_in_the_admin(client):
    logged_in(client, EDITORS)
    article = ConditionFactory(status=Article.Status.DRAFT)
    data = change_form_data(
        article,
        **{
            f"{PREFIX}-TOTAL_FORMS": "1",
            f"{PREFIX}-0-position": "1",
            f"{PREFIX}-0-title": "Aota Y. Entrapment of middle cluneal nerves",
            f"{PREFIX}-0-publisher": "World J Orthop",
            f"{PREFIX}-0-year": "2016",
            f"{PREFIX}-0-link": "https://doi.org/10.5312/wjo.v7.i3.167",
        },
    )
    url = reverse("admin:conditions_condition_change", args=[article.pk])
    assert client.post(url, data).status_code == 302
    reference = article.references.get()
    assert reference.year == 2016
    assert reference.content_type == ContentType.objects.get_for_model(Condition)


def test_the_admin_refuses_a_javascript_link(client):
    logged_in(client, EDITORS)
    article = ConditionFactory(status=Article.Status.DRAFT)
    data = change_form_data(
        article,
        **{
            f"{PREFIX}-TOTAL_FORMS": "1",
            f"{PREFIX}-0-title": "Sneaky",
            f"{PREFIX}-0-position": "1",
            f"{PREFIX}-0-link": "javascript:alert(1)",
        },
    )
    response = client.post(reverse("admin:conditions_condition_change", args=[article.pk]), data)
    assert response.status_code == 200  # the form again, with an error
    assert "Enter a valid URL." in response.content.decode()
    assert not article.references.exists()
