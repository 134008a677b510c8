"""Editors write drafts; only medical reviewers publish and sign off reviews; nobody, reviewers
and superusers included, changes a live page in place (a revision does). Each boundary is
checked in the admin as a person uses it and with crafted POSTs."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conditions import revisions
from conditions.models import Article, Condition
from tests.conditions.staff import (
    EDITORS,
    REVIEWERS,
    change_form_data,
    logged_in,
    revise_and_publish,
)
from tests.factories import ConditionFactory, TreatmentFactory

pytestmark = pytest.mark.django_db

DRAFT = Article.Status.DRAFT
PUBLISHED = Article.Status.PUBLISHED
PUBLISH_PERMISSIONS = {
    "publish_condition",
    "publish_treatment",
    "publish_guide",
    "publish_urgentadvice",
}


def codenames(group_name):
    return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))


def change_url(article):
    opts = article._meta
    return reverse(f"admin:conditions_{opts.model_name}_change", args=[article.pk])


def form_inputs(response):
    page = BeautifulSoup(response.content, "html.parser")
    return {tag.get("name") for tag in page.select("#content-main [name]")}


# The groups ----------------------------------------------------------------------------------


def test_editors_may_write_articles_sources_and_images_but_not_publish():
    perms = codenames(EDITORS)
    for model in ("condition", "treatment", "guide", "reference", "articleimage"):
        assert {f"add_{model}", f"change_{model}", f"view_{model}"} <= perms
    assert not perms & PUBLISH_PERMISSIONS
    # Removing a source or image is part of writing, and so is keeping the list of plainer
    # words and the search synonyms; deleting a whole article is not.
    assert {p for p in perms if p.startswith("delete_")} == {
        "delete_reference",
        "delete_articleimage",
        "delete_plainerword",
        "delete_synonym",
    }


def test_editors_have_no_access_to_contact_inquiries():
    group = Group.objects.get(name=EDITORS)
    assert not group.permissions.filter(content_type__app_label="contact").exists()
    assert not Group.objects.get(name=REVIEWERS).permissions.filter(
        content_type__app_label="contact"
    )


def test_medical_reviewers_have_what_editors_have_plus_publish():
    assert codenames(REVIEWERS) == codenames(EDITORS) | PUBLISH_PERMISSIONS


def test_an_editor_cannot_open_contact_inquiries_in_the_admin(client):
    logged_in(client, EDITORS)
    assert client.get(reverse("admin:contact_inquiry_changelist")).status_code == 403


# Editors -------------------------------------------------------------------------------------


def test_an_editor_sees_publishing_and_review_fields_read_only(client):
    logged_in(client, EDITORS)
    inputs = form_inputs(client.get(reverse("admin:conditions_condition_add")))
    assert "title" in inputs and "overview" in inputs
    for name in ("status", "publish_at_0", "reviewed_by", "last_reviewed_on", "next_review_due"):
        assert name not in inputs


def test_an_editor_can_add_a_draft(client):
    logged_in(client, EDITORS)
    article = Condition(title="New draft", slug="new-draft", summary="Short.")
    data = change_form_data(article, overview="Some words.")
    response = client.post(reverse("admin:conditions_condition_add"), data)
    assert response.status_code == 302
    saved = Condition.objects.get(slug="new-draft")
    assert saved.status == DRAFT
    assert saved.overview_html == "<p>Some words.</p>"


def test_an_editors_crafted_post_to_add_a_published_article_saves_a_draft(client):
    logged_in(client, EDITORS)
    article = Condition(title="Sneaky", slug="sneaky", summary="Short.")
    data = change_form_data(
        article,
        status=PUBLISHED,
        reviewed_by="Dr Nobody",
        reviewer_credentials="MD",
        last_reviewed_on="2026-01-01",
    )
    assert client.post(reverse("admin:conditions_condition_add"), data).status_code == 302
    saved = Condition.objects.get(slug="sneaky")
    assert saved.status == DRAFT
    assert (saved.reviewed_by, saved.last_reviewed_on) == ("", None)
    assert client.logout() is None
    assert client.get(saved.get_absolute_url()).status_code == 404


def test_an_editors_crafted_post_cannot_publish_a_draft_or_sign_off_its_review(client):
    logged_in(client, EDITORS)
    article = ConditionFactory(status=DRAFT, overview="Old words.")
    data = change_form_data(
        article,
        overview="New words.",
        status=PUBLISHED,
        publish_at_0="2020-01-01",
        publish_at_1="00:00:00",
        reviewed_by="Dr Nobody",
        last_reviewed_on="2026-01-01",
        next_review_due="2099-01-01",
    )
    assert client.post(change_url(article), data).status_code == 302
    before_publish_at = article.publish_at
    article.refresh_from_db()
    assert article.overview == "New words."  # the text is saved...
    assert article.status == DRAFT  # ...but nothing that needs a reviewer
    assert article.publish_at == before_publish_at
    assert (article.reviewed_by, article.last_reviewed_on, article.next_review_due) == (
        "",
        None,
        None,
    )


def test_an_editor_cannot_change_a_published_article(client):
    logged_in(client, EDITORS)
    article = ConditionFactory(overview="Reviewed words.")
    page = client.get(change_url(article))
    assert page.status_code == 200  # they may read it
    assert "overview" not in form_inputs(page)
    assert 'name="_save"' not in page.content.decode()

    response = client.post(change_url(article), change_form_data(article, overview="Unreviewed."))
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.overview == "Reviewed words."


def test_an_editor_cannot_change_a_scheduled_article(client):
    logged_in(client, EDITORS)
    article = ConditionFactory(publish_at=timezone.now() + datetime.timedelta(days=2))
    response = client.post(change_url(article), change_form_data(article, title="Changed"))
    assert response.status_code == 403


def test_an_editor_cannot_unpublish_an_article(client):
    logged_in(client, EDITORS)
    article = ConditionFactory()
    response = client.post(change_url(article), change_form_data(article, status=DRAFT))
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.status == PUBLISHED


def test_an_editor_cannot_delete_an_article(client):
    logged_in(client, EDITORS)
    article = ConditionFactory(status=DRAFT)
    delete_url = reverse("admin:conditions_condition_delete", args=[article.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Condition.objects.filter(pk=article.pk).exists()


def with_a_new_source(article, title):
    """The article's change form as posted, with one source added."""
    prefix = "conditions-reference-content_type-object_id"
    return change_form_data(
        article,
        **{
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-title": title,
            f"{prefix}-0-position": "1",
        },
    )


def test_an_editor_cannot_change_sources_of_a_published_article(client):
    logged_in(client, EDITORS)
    article = ConditionFactory()
    data = with_a_new_source(article, "Made-up source")
    assert client.post(change_url(article), data).status_code == 403
    assert not article.references.exists()


# Medical reviewers ---------------------------------------------------------------------------


def test_a_medical_reviewer_publishes_and_signs_off_a_review(client):
    # The name is the reviewer's own (stamped at publish); the one typed below is ignored.
    logged_in(client, REVIEWERS, first_name="Dana", last_name="Reyes")
    article = TreatmentFactory(status=DRAFT)
    data = change_form_data(
        article,
        status=PUBLISHED,
        reviewed_by="Someone Else",
        reviewer_credentials="MD, pain medicine",
        last_reviewed_on="2026-11-02",
    )
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.status == PUBLISHED
    assert article.reviewed_by == "Dana Reyes"
    assert article.next_review_due == datetime.date(2027, 11, 2)
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 200


# Live pages: nobody changes one in place ------------------------------------------------------


@pytest.fixture(params=["medical reviewer", "superuser"])
def trusted_client(request, client, admin_client):
    """Those who could change a live page in place before: it goes through a revision now."""
    if request.param == "superuser":
        return admin_client
    logged_in(client, REVIEWERS)
    return client


def reader_sees(article):
    return Client().get(article.get_absolute_url()).content.decode()


def test_a_live_articles_form_is_read_only_with_revise_for_reviewers_and_superusers(
    trusted_client,
):
    article = ConditionFactory(overview="Reviewed words.")
    page = trusted_client.get(change_url(article))
    assert page.status_code == 200
    assert "overview" not in form_inputs(page)
    html = page.content.decode()
    assert 'name="_save"' not in html
    assert "Revise this page" in html
    messages = [str(m) for m in page.context["messages"]]
    assert any("nobody changes it in place" in m for m in messages)


def test_a_reviewers_or_superusers_post_to_a_live_article_is_refused(trusted_client):
    article = ConditionFactory(overview="Reviewed words.")
    assert "Reviewed words." in reader_sees(article)  # stored by the page cache
    data = change_form_data(article, overview="Unreviewed.", status=DRAFT)

    assert trusted_client.post(change_url(article), data).status_code == 403

    article.refresh_from_db()
    assert (article.overview, article.status) == ("Reviewed words.", PUBLISHED)
    html = reader_sees(article)
    assert "Reviewed words." in html and "Unreviewed." not in html


def test_a_reviewers_or_superusers_post_cannot_change_a_live_articles_sources(trusted_client):
    article = ConditionFactory()
    data = with_a_new_source(article, "Unreviewed source")
    assert trusted_client.post(change_url(article), data).status_code == 403
    assert not article.references.exists()


def test_a_superuser_deletes_a_live_page_only_once_it_is_taken_offline(admin_client):
    article = ConditionFactory(overview="Reviewed words.")
    delete_url = reverse("admin:conditions_condition_delete", args=[article.pk])
    assert "deletelink" not in admin_client.get(change_url(article)).content.decode()
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert "Reviewed words." in reader_sees(article)

    offline = reverse("admin:conditions_condition_take_offline", args=[article.pk])
    assert admin_client.post(offline).status_code == 302
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Condition.objects.filter(pk=article.pk).exists()


def test_deleting_a_selection_that_holds_a_live_page_deletes_nothing_and_says_why(admin_client):
    live = ConditionFactory(title="Sciatica")
    draft = ConditionFactory(title="Knee pain", status=DRAFT)
    response = admin_client.post(
        reverse("admin:conditions_condition_changelist"),
        {"action": "delete_selected", "_selected_action": [live.pk, draft.pk], "post": "yes"},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "Nothing was deleted: live pages are taken offline first, one by one, then deleted. "
        "Live: Sciatica."
    ]
    assert Condition.with_revisions.filter(pk__in=[live.pk, draft.pk]).count() == 2

    response = admin_client.post(
        reverse("admin:conditions_condition_changelist"),
        {"action": "delete_selected", "_selected_action": [draft.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Condition.with_revisions.filter(pk=draft.pk).exists()


def test_a_medical_reviewer_changes_a_live_article_through_a_revision(client):
    logged_in(client, REVIEWERS)
    article = ConditionFactory(overview="Reviewed words.")
    assert "Reviewed words." in reader_sees(article)  # stored by the page cache

    article = revise_and_publish(client, article, overview="Corrected.")

    assert (article.overview, article.status) == ("Corrected.", PUBLISHED)
    html = reader_sees(article)  # the next request
    assert "Corrected." in html and "Reviewed words." not in html


def test_a_medical_reviewer_can_edit_a_scheduled_revision_an_editor_cannot(client):
    """Published for a set time, a revision is not live yet: a reviewer may still mend it."""
    reviewer = logged_in(client, REVIEWERS)
    article = ConditionFactory(overview="Reviewed words.")
    revision, _created = revisions.start_revision(article, reviewer)
    revision.publish_at = timezone.now() + datetime.timedelta(days=2)
    revision.status = Article.Status.IN_REVIEW
    revision.save()
    revisions.publish(revision, reviewer)
    assert revision.status == Article.Status.SCHEDULED

    data = change_form_data(revision, overview="Mended before it goes live.")
    assert client.post(change_url(revision), data).status_code == 302
    revision.refresh_from_db()
    assert (revision.overview, revision.status) == (
        "Mended before it goes live.",
        Article.Status.SCHEDULED,
    )

    editor_client = Client()
    logged_in(editor_client, EDITORS)
    data = change_form_data(revision, overview="Unreviewed.")
    assert editor_client.post(change_url(revision), data).status_code == 403


def test_a_new_review_date_moves_the_next_review_due_date(client):
    logged_in(client, REVIEWERS)
    article = ConditionFactory(
        status=DRAFT,
        last_reviewed_on=datetime.date(2025, 1, 10),
        next_review_due=datetime.date(2026, 1, 10),
    )
    data = change_form_data(article, last_reviewed_on="2026-11-20")
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.next_review_due == datetime.date(2027, 11, 20)


def test_an_editor_is_told_why_a_published_article_is_read_only(client):
    logged_in(client, EDITORS)
    response = client.get(change_url(ConditionFactory()))
    messages = [str(m) for m in response.context["messages"]]
    assert any("nobody changes it in place" in m and "revise it" in m for m in messages)


def test_an_editor_is_told_why_an_article_in_review_is_read_only(client):
    logged_in(client, EDITORS)
    response = client.get(change_url(ConditionFactory(status=Article.Status.IN_REVIEW)))
    messages = [str(m) for m in response.context["messages"]]
    assert any("only a medical reviewer can change it" in m for m in messages)
