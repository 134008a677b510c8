"""The article admin pages load, and show and warn about the reading grade."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from conditions.readability import reading_grade
from tests.conditions.staff import REVIEWERS, change_form_data, logged_in
from tests.factories import ConditionFactory, GuideFactory, TreatmentFactory

pytestmark = pytest.mark.django_db

FACTORIES = [ConditionFactory, TreatmentFactory, GuideFactory]
EASY = "The nerve hurts. Rest helps. We can help you."
HARD = (
    "Comprehensive multidisciplinary interventional management necessitates individualized "
    "consideration of neurophysiological characteristics, pharmacological contraindications "
    "and radiological investigations, particularly regarding sacroiliac degenerative pathology."
)


def admin_url(article, view):
    opts = article._meta
    args = [] if view in ("changelist", "add") else [article.pk]
    return reverse(f"admin:conditions_{opts.model_name}_{view}", args=args)


@pytest.mark.parametrize("factory", FACTORIES)
@pytest.mark.parametrize("view", ["changelist", "add", "change", "history"])
def test_admin_pages_load(admin_client, factory, view):
    article = factory()
    assert admin_client.get(admin_url(article, view)).status_code == 200


@pytest.mark.parametrize("factory", FACTORIES)
def test_admin_search_finds_by_title(admin_client, factory):
    factory(title="Findable article")
    factory(title="Other article")
    response = admin_client.get(admin_url(factory.build(), "changelist"), {"q": "Findable"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Findable article" in html and "Other article" not in html


def test_admin_index_loads(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "Due for medical review" in response.content.decode()


def grade_cell(html, title):
    page = BeautifulSoup(html, "html.parser")
    for row in page.select("#result_list tbody tr"):
        if title in row.get_text():
            return row.select_one(".field-reading_grade").get_text(strip=True)
    raise AssertionError(f"{title} not in the list")


def test_list_shows_each_articles_reading_grade_and_flags_hard_ones(admin_client):
    easy = ConditionFactory(title="Easy page", summary=EASY, overview=EASY, symptoms="")
    ConditionFactory(title="Hard page", summary=HARD, overview=HARD)
    html = admin_client.get(reverse("admin:conditions_condition_changelist")).content.decode()

    assert grade_cell(html, "Easy page") == f"{reading_grade(easy.section_text()):.1f}"
    hard = grade_cell(html, "Hard page")
    assert hard.endswith("(above 8)")
    assert float(hard.split()[0]) > 8


def test_change_form_warns_when_the_grade_is_above_8(admin_client):
    hard = ConditionFactory(summary=HARD, overview=HARD)
    easy = ConditionFactory(summary=EASY, overview=EASY, symptoms="")

    hard_page = BeautifulSoup(admin_client.get(admin_url(hard, "change")).content, "html.parser")
    warning = hard_page.select_one(".field-reading_grade_report .app-grade-warning")
    assert warning is not None and "Warning: reading grade" in warning.get_text()
    assert "Overview" in hard_page.select_one(".field-reading_grade_report").get_text()

    easy_page = admin_client.get(admin_url(easy, "change")).content.decode()
    assert "app-grade-warning" not in easy_page
    assert "Within the target of grade 8 or lower." in easy_page


def test_saving_hard_text_gives_a_warning_message(client):
    logged_in(client, REVIEWERS)
    article = ConditionFactory(summary=EASY, overview=EASY, symptoms="")
    response = client.post(
        admin_url(article, "change"), change_form_data(article, overview=HARD), follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("reading grade" in m and "above the target of 8" in m for m in messages)


def test_saving_plain_text_gives_no_warning(client):
    logged_in(client, REVIEWERS)
    article = ConditionFactory(summary=EASY, overview=EASY, symptoms="")
    response = client.post(
        admin_url(article, "change"), change_form_data(article, overview=EASY), follow=True
    )
    assert not any("reading grade" in str(m) for m in response.context["messages"])
