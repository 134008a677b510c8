"""What the article admin pages touched by the editor's work cost in queries: the same few
however many articles, images and links there are (the link search's count is in
test_links.py)."""

import datetime

import pytest
from django.urls import reverse

from conditions.models import ArticleImage
from tests.conditions.staff import REVIEWERS, logged_in
from tests.factories import ConditionFactory, TreatmentFactory

pytestmark = pytest.mark.django_db

# The session, the user, their second factor and permissions (2), and the session's new
# expiry (3, with its savepoint): 8 on every admin page.
SIGNED_IN = 8


def get(client, url, django_assert_num_queries, expected):
    client.get(url)  # the first request of a session saves more
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


def add_pairs(count, start):
    for n in range(start, start + count):
        english = ConditionFactory(title=f"Zed {n}", last_reviewed_on=datetime.date(2026, 11, 1))
        ConditionFactory(title=f"Zeda {n}", language="es", translation_of=english)


def test_the_article_list_costs_the_same_queries_however_many_rows(
    client, django_assert_num_queries
):
    logged_in(client, REVIEWERS)
    url = reverse("admin:conditions_condition_changelist")
    # Two counts (filtered and whole), the rows with their English versions, and the date
    # hierarchy's two.
    add_pairs(5, 0)
    get(client, url, django_assert_num_queries, SIGNED_IN + 5)
    add_pairs(10, 5)
    get(client, url, django_assert_num_queries, SIGNED_IN + 5)


def test_the_change_form_costs_the_same_queries_however_many_images_and_links(
    client, django_assert_num_queries
):
    logged_in(client, REVIEWERS)
    # Drafts: the form a reviewer edits (a live page's is read-only, counted below).
    plain = ConditionFactory(overview="No links.", status="draft")
    treatment = TreatmentFactory(title="Zephyr", slug="zephyr", status="draft")
    one = ConditionFactory(overview=f"See [it]({treatment.get_absolute_url()}).", status="draft")
    links = " ".join(
        f"[{n}]({TreatmentFactory(slug=f'zephyr-{n}').get_absolute_url()})" for n in range(5)
    )
    many = ConditionFactory(
        overview=f"{links} [gone](/conditions/gone/) [x](/guides/none/)", status="draft"
    )
    for article, images in ((plain, 1), (one, 1), (many, 4)):
        for position in range(images):
            ArticleImage.objects.create(
                article=article,
                section="overview",
                static_file="img/diagrams/cluneal-nerves.svg",
                alt=f"Diagram {position}",
                position=position,
            )

    def change(article):
        return reverse("admin:conditions_condition_change", args=[article.pk])

    # 18 for the article, its history, the pickers' options, body areas, sources and images
    # (the inlines, the image button's one list, the checklist), the plainer words and the
    # Spanish version.
    get(client, change(plain), django_assert_num_queries, SIGNED_IN + 18)
    # Links to our pages: one query per kind of article linked, however many links.
    get(client, change(one), django_assert_num_queries, SIGNED_IN + 18 + 1)
    get(client, change(many), django_assert_num_queries, SIGNED_IN + 18 + 3)


def test_a_live_pages_read_only_form_costs_fewer_queries(client, django_assert_num_queries):
    """Nobody changes a live page in place: its form is read-only, without the pickers' options
    or the plainer words, plus the workflow panel's look for a revision in progress."""
    logged_in(client, REVIEWERS)
    live = ConditionFactory(overview="No links.")
    ArticleImage.objects.create(
        article=live, section="overview", static_file="img/diagrams/cluneal-nerves.svg", alt="D"
    )
    url = reverse("admin:conditions_condition_change", args=[live.pk])
    response = get(client, url, django_assert_num_queries, SIGNED_IN + 13)
    assert 'name="overview"' not in response.content.decode()
