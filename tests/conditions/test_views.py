"""The public pages answer with the right status, content, metadata and number of queries."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conditions.models import Article
from tests.factories import ConditionFactory, GuideFactory, TreatmentFactory

pytestmark = pytest.mark.django_db

FIXED_PAGES = [
    "pages:home",
    "conditions:list",
    "conditions:treatment_list",
    "pages:urgent",
]


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def json_ld(page):
    return [json.loads(tag.string) for tag in page.find_all("script", type="application/ld+json")]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


@pytest.mark.parametrize("url_name", FIXED_PAGES)
def test_fixed_pages_answer_200_with_the_clinic_phone(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert b'href="tel:+15744047246"' in response.content
    assert b"574-404-PAIN" in response.content


def test_published_condition_page_shows_its_sections_and_links(client):
    treatment = TreatmentFactory(title="Cold therapy")
    related = ConditionFactory(title="Another condition")
    condition = ConditionFactory(title="Sore nerve", symptoms="- aching\n- tingling")
    condition.treatments.add(treatment)
    condition.related_conditions.add(related)

    response = client.get(condition.get_absolute_url())

    page = soup(response)
    assert response.status_code == 200
    assert page.h1.get_text(strip=True) == "Sore nerve"
    assert "tingling" in [li.get_text() for li in page.select("#symptoms + .app-prose li")]
    contents = [a["href"] for a in page.select(".app-contents a")]
    assert contents[:2] == ["#overview", "#symptoms"]
    assert "#treatments" in contents and "#next-steps" in contents
    assert page.find("a", href=treatment.get_absolute_url())
    assert page.find("a", href=related.get_absolute_url())
    ask = page.find("a", string="Ask us about this condition")
    assert ask["href"] == f"{reverse('contact:form')}?condition={condition.slug}"
    assert page.find("a", href=reverse("pages:urgent"))


def test_related_conditions_link_both_ways(client):
    first, second = ConditionFactory(), ConditionFactory()
    first.related_conditions.add(second)
    page = soup(client.get(second.get_absolute_url()))
    assert page.find("a", href=first.get_absolute_url())


def test_treatment_page_lists_every_condition_it_is_used_for(client):
    treatment = TreatmentFactory(title="Cryoablation")
    conditions = [ConditionFactory() for _ in range(3)]
    for condition in conditions:
        condition.treatments.add(treatment)
    page = soup(client.get(treatment.get_absolute_url()))
    for condition in conditions:
        assert page.find("a", href=condition.get_absolute_url())


@pytest.mark.parametrize("factory", [ConditionFactory, TreatmentFactory, GuideFactory])
def test_anonymous_user_gets_the_sites_404_for_drafts_and_scheduled_articles(client, factory):
    from django.utils import timezone

    draft = factory(status=Article.Status.DRAFT)
    scheduled = factory(publish_at=timezone.now() + timezone.timedelta(hours=1))
    for article in (draft, scheduled):
        response = client.get(article.get_absolute_url())
        assert response.status_code == 404
        assert b"Page not found" in response.content


def test_drafts_are_not_listed_or_linked(client):
    live = ConditionFactory(title="Live one")
    draft = ConditionFactory(title="Secret draft", status=Article.Status.DRAFT)
    draft_treatment = TreatmentFactory(title="Secret treatment", status=Article.Status.DRAFT)
    live.treatments.add(draft_treatment)
    live.related_conditions.add(draft)
    for url in (reverse("pages:home"), reverse("conditions:list"), live.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "Live one" in html
        assert "Secret" not in html


@pytest.mark.parametrize("path", ["/conditions/no-such-thing/", "/treatments/nope/", "/nope/"])
def test_unknown_addresses_get_the_sites_404_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"app-header" in response.content
    assert b'<meta name="robots" content="noindex">' in response.content


def test_condition_index_is_grouped_a_to_z_with_summaries(client):
    ConditionFactory(title="Zebra pain", summary="Stripes.")
    ConditionFactory(title="apple pain", summary="Fruit.")
    page = soup(client.get(reverse("conditions:list")))
    letters = [h.get_text(strip=True) for h in page.select(".app-az__letter")]
    assert "A" in letters and "Z" in letters
    assert letters == sorted(letters)
    assert "Stripes." in page.get_text()


def test_every_page_has_a_unique_title_description_canonical_and_open_graph(client, settings):
    condition = ConditionFactory(title="Unique condition", summary="Condition summary.")
    treatment = TreatmentFactory(title="Unique treatment", summary="Treatment summary.")
    guide = GuideFactory(title="Unique guide", summary="Guide summary.")
    urls = [reverse(name) for name in FIXED_PAGES] + [
        reverse("contact:form"),
        condition.get_absolute_url(),
        treatment.get_absolute_url(),
        guide.get_absolute_url(),
    ]
    titles, descriptions = set(), set()
    for url in urls:
        page = soup(client.get(url))
        title = page.title.get_text()
        description = page.find("meta", attrs={"name": "description"})["content"]
        assert title and description, url
        titles.add(title)
        descriptions.add(description)
        assert page.find("link", rel="canonical")["href"] == settings.SITE_URL + url
        for prop in ("og:title", "og:description", "og:url", "og:type", "og:site_name"):
            assert page.find("meta", property=prop)["content"], (url, prop)
    assert len(titles) == len(urls)
    assert len(descriptions) == len(urls)


def test_condition_page_carries_medical_structured_data(client):
    treatment = TreatmentFactory(title="Nerve block")
    condition = ConditionFactory(
        title="Test entrapment",
        anatomy_label="Cluneal nerves",
        symptom_labels="Low back pain\nButtock pain\n",
        test_labels="Ultrasound",
        reviewed_by="A. Reviewer",
        reviewer_credentials="MD",
        last_reviewed_on=datetime.date(2026, 1, 2),
    )
    condition.treatments.add(treatment)

    (data,) = json_ld(soup(client.get(condition.get_absolute_url())))

    assert data["@type"] == "MedicalWebPage"
    assert data["lastReviewed"] == "2026-01-02"
    assert data["reviewedBy"]["name"] == "A. Reviewer"
    about = data["about"]
    assert about["@type"] == "MedicalCondition"
    assert about["associatedAnatomy"]["name"] == "Cluneal nerves"
    assert [s["name"] for s in about["signOrSymptom"]] == ["Low back pain", "Buttock pain"]
    assert about["typicalTest"][0]["name"] == "Ultrasound"
    assert about["possibleTreatment"][0]["name"] == "Nerve block"
    crumbs = data["breadcrumb"]
    assert crumbs["@type"] == "BreadcrumbList"
    assert [c["name"] for c in crumbs["itemListElement"]] == [
        "Home",
        "Conditions",
        "Test entrapment",
    ]


def test_structured_data_cannot_break_out_of_its_script_element(client):
    condition = ConditionFactory(title="</script><script>alert(1)</script>")
    html = client.get(condition.get_absolute_url()).content.decode()
    head = html.split("</head>")[0]
    assert "<script>alert(1)" not in head
    assert "\\u003C/script\\u003E" in head


def test_anonymous_readers_get_no_cookies_and_a_strict_csp(client):
    condition = ConditionFactory()
    for url in [reverse(name) for name in FIXED_PAGES] + [condition.get_absolute_url()]:
        response = client.get(url)
        assert not response.cookies, url
        csp = response["Content-Security-Policy"]
        assert "default-src 'none'" in csp
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp


def _condition_with_links(n):
    condition = ConditionFactory()
    for _ in range(n):
        condition.treatments.add(TreatmentFactory())
        condition.related_conditions.add(ConditionFactory())
        GuideFactory().related_conditions.add(condition)
    return condition


def test_condition_page_queries_do_not_grow_with_sections_or_links(client):
    few = count_queries(client, _condition_with_links(1).get_absolute_url())
    many = count_queries(client, _condition_with_links(8).get_absolute_url())
    assert few == many
    # The article, its 3 link lists, sources, images, the urgent advice, its version in the
    # other language, the clinic's details, and the page cache's version and next scheduled time.
    assert many == 11


def test_treatment_page_queries_do_not_grow_with_conditions(client):
    def treatment_with(n):
        treatment = TreatmentFactory()
        for _ in range(n):
            ConditionFactory().treatments.add(treatment)
        return treatment

    assert count_queries(client, treatment_with(1).get_absolute_url()) == count_queries(
        client, treatment_with(8).get_absolute_url()
    )


@pytest.mark.parametrize("url_name", FIXED_PAGES)
def test_list_pages_queries_do_not_grow_with_articles(client, url_name):
    ConditionFactory()
    few = count_queries(client, reverse(url_name))
    for _ in range(8):
        ConditionFactory()
        TreatmentFactory()
        GuideFactory()
    from django.core.cache import cache

    cache.clear()
    assert count_queries(client, reverse(url_name)) == few
    assert few <= 6  # the "Where does it hurt?" counts are one of them


# "Send us a message" carries the condition ----------------------------------------------------


def header_message_link(page):
    return page.select_one("a.app-get-help__contact")["href"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_send_us_a_message_from_a_condition_page_opens_the_form_with_it_chosen(client, language):
    condition = ConditionFactory(language=language, slug=f"test-carried-{language}")
    page = soup(client.get(condition.get_absolute_url()))
    link = header_message_link(page)
    assert link.endswith(f"?condition={condition.slug}")
    form = soup(client.get(link))
    chosen = form.find("select", attrs={"name": "condition"}).find("option", selected=True)
    assert chosen["value"] == str(condition.pk)
    assert form.find("input", attrs={"name": "reason", "value": "condition"}).has_attr("checked")


@pytest.mark.parametrize("factory", [TreatmentFactory, GuideFactory])
def test_send_us_a_message_from_other_pages_carries_no_condition(client, factory):
    article = factory()
    link = header_message_link(soup(client.get(article.get_absolute_url())))
    assert "?" not in link
