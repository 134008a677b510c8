"""The public pages answer with the right status, content and number of queries."""

import pytest
from django.urls import reverse

from conditions.models import Article
from tests.factories import ConditionFactory, GuideFactory, TreatmentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url_name",
    ["conditions:home", "conditions:list", "conditions:treatment_list", "conditions:urgent"],
)
def test_fixed_pages_answer_200(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert b"574-404-PAIN" in response.content


def test_published_condition_page_shows_its_sections_and_links(client):
    treatment = TreatmentFactory(title="Cold therapy")
    related = ConditionFactory(title="Another condition")
    condition = ConditionFactory(title="Sore nerve", symptoms="- aching\n- tingling")
    condition.treatments.add(treatment)
    condition.related_conditions.add(related)

    response = client.get(condition.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1 class=\"app-heading-xl\">Sore nerve</h1>" in html
    assert "<li>tingling</li>" in html
    assert treatment.get_absolute_url() in html
    assert related.get_absolute_url() in html
    assert "Ask us about this condition" in html
    assert f"?condition={condition.slug}" in html


def test_anonymous_user_gets_404_for_a_draft(client):
    draft = ConditionFactory(status=Article.Status.DRAFT)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_unknown_slug_gets_the_sites_404_page(client):
    response = client.get("/conditions/no-such-thing/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"app-header" in response.content


def _render_condition_with(client, django_assert_max_num_queries, n):
    condition = ConditionFactory()
    for _ in range(n):
        condition.treatments.add(TreatmentFactory())
        condition.related_conditions.add(ConditionFactory())
    GuideFactory().related_conditions.add(condition)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(condition.get_absolute_url()).status_code == 200
    return len(ctx)


def test_condition_page_queries_do_not_grow_with_links(client, django_assert_max_num_queries):
    few = _render_condition_with(client, django_assert_max_num_queries, 1)
    many = _render_condition_with(client, django_assert_max_num_queries, 6)
    assert few == many == 6
