"""Nothing in the admin tells a staff member about content their role may not see: the front
desk learns nothing of draft or scheduled articles (their addresses, titles, or whether an id
exists), editors nothing of inquiries; editors and reviewers keep their "View on site" link."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from conditions.models import Article, Condition
from contact.models import Inquiry
from tests.conditions.staff import EDITORS, REVIEWERS, logged_in
from tests.contact.factories import InquiryFactory
from tests.factories import ConditionFactory, GuideFactory, TreatmentFactory

pytestmark = pytest.mark.django_db

FRONT_DESK = "Front desk"
NO_SUCH_ID = 987654


def draft(factory=ConditionFactory):
    return factory(status=Article.Status.DRAFT, title="Unannounced nerve treatment")


def scheduled(factory=ConditionFactory):
    return factory(
        status=Article.Status.PUBLISHED,
        publish_at=timezone.now() + timezone.timedelta(days=7),
        title="Unannounced nerve treatment",
    )


def view_on_site(obj_or_model, object_id=None):
    content_type = ContentType.objects.get_for_model(obj_or_model)
    return reverse("admin:view_on_site", args=[content_type.pk, object_id or obj_or_model.pk])


def answer(client, url):
    """What `url` answers, less the address itself (the 404 page names its own address)."""
    response = client.get(url)
    return (
        response.status_code,
        response.content.decode().replace(url, "<url>"),
        response.get("Location"),
    )


# "View on site" ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: draft(ConditionFactory),
        lambda: draft(TreatmentFactory),
        lambda: draft(GuideFactory),
        lambda: scheduled(ConditionFactory),
        lambda: ConditionFactory(),  # published: still not the front desk's to open here
    ],
    ids=["draft condition", "draft treatment", "draft guide", "scheduled condition", "live"],
)
def test_view_on_site_tells_the_front_desk_nothing_of_an_article(client, make):
    article = make()
    logged_in(client, FRONT_DESK)
    status, page, location = answer(client, view_on_site(article))
    assert (status, location) == (404, None)
    assert article.slug not in page
    assert (status, page, location) == answer(client, view_on_site(article, NO_SUCH_ID))


def test_counting_through_ids_finds_nothing_for_the_front_desk(client):
    articles = [draft(), scheduled(), draft(TreatmentFactory)]
    logged_in(client, FRONT_DESK)
    content_type = ContentType.objects.get_for_model(articles[0])
    last = max(article.pk for article in articles)
    for object_id in range(1, last + 2):
        response = client.get(reverse("admin:view_on_site", args=[content_type.pk, object_id]))
        assert response.status_code == 404, object_id
    for content_type_id in ContentType.objects.values_list("pk", flat=True):
        response = client.get(reverse("admin:view_on_site", args=[content_type_id, articles[0].pk]))
        assert response.status_code == 404, content_type_id


@pytest.mark.parametrize("group", [EDITORS, REVIEWERS])
@pytest.mark.parametrize("make", [draft, scheduled], ids=["draft", "scheduled"])
def test_view_on_site_still_takes_editors_and_reviewers_to_the_page(client, group, make):
    article = make()
    logged_in(client, group)
    response = client.get(view_on_site(article))
    assert response.status_code == 302
    assert response["Location"].endswith(article.get_absolute_url())


def test_view_on_site_of_an_article_that_does_not_exist_is_not_found_for_editors(client):
    logged_in(client, EDITORS)
    assert client.get(view_on_site(Condition, NO_SUCH_ID)).status_code == 404


# Pages of a model the role has no permission on ---------------------------------------------


def article_pages(model, object_id, history_id):
    """Every admin page of one article, by its id (and one of its history records)."""
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    return [
        reverse(f"{name}_change", args=[object_id]),
        reverse(f"{name}_history", args=[object_id]),
        reverse(f"{name}_delete", args=[object_id]),
        reverse(f"{name}_simple_history", args=[object_id, history_id]),
    ]


@pytest.mark.parametrize("make", [draft, scheduled], ids=["draft", "scheduled"])
def test_the_front_desk_gets_the_same_refusal_for_an_article_and_for_no_article(client, make):
    """The history pages looked the id up before asking who may see it: "not found" for a
    missing id, 403 for a draft, so the front desk could count the drafts."""
    article = make()
    history_id = article.history.first().history_id
    logged_in(client, FRONT_DESK)
    pages = article_pages(type(article), article.pk, history_id)
    no_such_pages = article_pages(type(article), NO_SUCH_ID, history_id)
    for url, no_such_url in zip(pages, no_such_pages, strict=True):
        status, page, location = answer(client, url)
        assert status == 403, url
        assert article.title not in page
        assert (status, page, location) == answer(client, no_such_url), url


def test_editors_get_the_same_refusal_for_an_inquiry_and_for_no_inquiry(client):
    inquiry = InquiryFactory()
    logged_in(client, EDITORS)
    for view in ("change", "history", "delete"):
        url = reverse(f"admin:contact_inquiry_{view}", args=[inquiry.pk])
        no_such_url = reverse(f"admin:contact_inquiry_{view}", args=[NO_SUCH_ID])
        assert answer(client, url)[0] == 403, url
        assert answer(client, url) == answer(client, no_such_url), url
    assert Inquiry.objects.filter(pk=inquiry.pk).exists()


def test_staff_records_are_the_same_closed_door_whether_a_row_exists_or_not(client):
    """Users and sign-in records are for superusers: Django's history page answered "no such
    user" for a missing id and 403 for a real one."""
    front_desk = logged_in(client, FRONT_DESK)
    for url, no_such_url in [
        (
            reverse("admin:auth_user_history", args=[front_desk.pk]),
            reverse("admin:auth_user_history", args=[NO_SUCH_ID]),
        ),
        (
            reverse("admin:auth_user_change", args=[front_desk.pk]),
            reverse("admin:auth_user_change", args=[NO_SUCH_ID]),
        ),
    ]:
        assert answer(client, url)[0] == 403, url
        assert answer(client, url) == answer(client, no_such_url), url


def test_the_front_desk_still_works_inquiries(client):
    inquiry = InquiryFactory()
    logged_in(client, FRONT_DESK)
    for view in ("change", "history"):
        url = reverse(f"admin:contact_inquiry_{view}", args=[inquiry.pk])
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("admin:contact_inquiry_changelist")).status_code == 200


def test_editors_still_see_an_articles_pages_and_history(client):
    article = draft()
    change, history, _delete, old_version = article_pages(
        type(article), article.pk, article.history.first().history_id
    )
    logged_in(client, EDITORS)
    for url in (change, history, old_version):
        assert client.get(url).status_code == 200, url


# Autocomplete and the admin index -------------------------------------------------------------


@pytest.mark.parametrize(
    ("model_name", "field_name"),
    [("condition", "treatments"), ("guide", "related_conditions"), ("condition", "translation_of")],
)
def test_the_admins_autocomplete_lists_no_article_for_the_front_desk(
    client, model_name, field_name
):
    article = draft(TreatmentFactory if field_name == "treatments" else ConditionFactory)
    logged_in(client, FRONT_DESK)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "conditions", "model_name": model_name, "field_name": field_name, "term": ""},
    )
    assert response.status_code == 403
    assert article.title not in response.content.decode()


def test_the_admin_index_shows_the_front_desk_no_article(client):
    article = draft()  # never reviewed: on the index's "due for medical review" list
    logged_in(client, EDITORS)
    # The list does show it, to a role that may see it.
    assert article.title in client.get(reverse("admin:index")).content.decode()
    client.logout()
    logged_in(client, FRONT_DESK)
    index = client.get(reverse("admin:index")).content.decode()
    assert article.title not in index
    assert reverse("admin:conditions_condition_changelist") not in index
