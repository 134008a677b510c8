"""Every save is kept (who, when, what changed) and can be compared and reverted in the admin.
A live page is never reverted in place: the version goes into its revision."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from conditions.models import Article, Condition
from tests.conditions.staff import (
    EDITORS,
    REVIEWERS,
    change_form_data,
    logged_in,
    revise_and_publish,
)
from tests.factories import ConditionFactory

pytestmark = pytest.mark.django_db

DRAFT = Article.Status.DRAFT


def change_url(article):
    return reverse("admin:conditions_condition_change", args=[article.pk])


def history_url(article):
    return reverse("admin:conditions_condition_history", args=[article.pk])


def revert_url(article, record):
    return reverse(
        "admin:conditions_condition_simple_history", args=[article.pk, record.history_id]
    )


def edit(client, article, **changes):
    response = client.post(change_url(article), change_form_data(article, **changes))
    assert response.status_code == 302, response.content[:2000]
    article.refresh_from_db()
    return article


def test_every_admin_save_records_who_when_and_what_changed(client):
    user = logged_in(client, REVIEWERS)
    article = ConditionFactory(status=DRAFT, overview="First words.")
    edit(client, article, overview="Second words.")

    latest, previous = article.history.all()[:2]
    assert latest.history_user == user
    assert latest.history_type == "~"
    assert latest.history_date >= previous.history_date
    delta = latest.diff_against(previous)
    assert "overview" in delta.changed_fields
    assert "title" not in delta.changed_fields


def test_history_page_compares_versions_without_the_derived_html(client):
    logged_in(client, REVIEWERS, username="dana.reyes")
    article = ConditionFactory(status=DRAFT, overview="First words.")
    edit(client, article, overview="Second words.")

    html = client.get(history_url(article)).content.decode()

    assert "First words." in html and "Second words." in html
    assert "&lt;p&gt;Second words." not in html  # overview_html is left out of the diff
    assert "dana.reyes" in html  # who changed it


def test_revert_through_the_history_form_restores_the_earlier_text(client):
    user = logged_in(client, REVIEWERS)
    article = ConditionFactory(status=DRAFT, overview="The **right** words.", summary="Good one.")
    edit(client, article, overview="Wrong words.", summary="Bad summary.")
    original = article.history.earliest()

    form = client.get(revert_url(article, original))
    assert form.status_code == 200
    assert "Revert" in form.content.decode()
    response = client.post(revert_url(article, original), change_form_data(original.instance))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.overview == "The **right** words."
    assert article.overview_html == "<p>The <strong>right</strong> words.</p>"
    assert article.summary == "Good one."
    assert article.history.latest().history_user == user


def reader_sees(article):
    return Client().get(article.get_absolute_url()).content.decode()


def test_reverting_a_live_page_puts_the_old_version_into_its_revision(client):
    user = logged_in(client, REVIEWERS)
    live = ConditionFactory(overview="The **right** words.", summary="Good one.")
    live = revise_and_publish(client, live, overview="Wrong words.", summary="Bad summary.")
    original = live.history.earliest()
    assert "Wrong words." in reader_sees(live)  # stored by the page cache

    form = client.get(revert_url(live, original))
    button = BeautifulSoup(form.content, "html.parser").select_one("input[name=_save]")
    assert button["value"] == "Revert"
    assert any("goes into the page's revision" in str(m) for m in form.context["messages"])
    response = client.post(
        revert_url(live, original), change_form_data(original.instance), follow=True
    )

    revision = Condition.with_revisions.get(revision_of=live)
    assert response.redirect_chain[-1][0] == change_url(revision)
    assert any("Patients still see the live page" in str(m) for m in response.context["messages"])
    assert not any(".." in str(m) for m in response.context["messages"])  # "p.m.." once
    assert (revision.overview, revision.summary, revision.status) == (
        "The **right** words.",
        "Good one.",
        DRAFT,
    )
    assert revision.overview_html == "<p>The <strong>right</strong> words.</p>"
    assert revision.history.latest().history_user == user
    assert revision.history.latest().history_change_reason.startswith("Reverted to the version")
    live.refresh_from_db()  # the live page stays exactly as published, and so does its page
    assert (live.overview, live.summary, live.status) == (
        "Wrong words.",
        "Bad summary.",
        Article.Status.PUBLISHED,
    )
    assert "Wrong words." in reader_sees(live) and "right" not in reader_sees(live)

    revise_and_publish(client, live)  # the reviewer publishes the reverted revision
    assert "<strong>right</strong> words." in reader_sees(live)  # on the next request


def test_a_revert_of_a_live_page_replaces_the_text_of_the_revision_in_progress(client):
    logged_in(client, EDITORS)
    live = ConditionFactory(overview="Reviewed.")
    original = live.history.earliest()
    assert (
        client.post(reverse("admin:conditions_condition_revise", args=[live.pk])).status_code == 302
    )
    revision = Condition.with_revisions.get(revision_of=live)
    edit(client, revision, overview="A revision in progress.")

    response = client.post(revert_url(live, original), change_form_data(original.instance))

    assert response.status_code == 302 and response.url == change_url(revision)
    revision.refresh_from_db()
    assert revision.overview == "Reviewed."  # an editor may: it is still a draft
    assert Condition.with_revisions.filter(revision_of=live).count() == 1
    live.refresh_from_db()
    assert live.overview == "Reviewed."


def test_a_revert_never_changes_a_live_page_in_place(client):
    """Whoever posts it, reviewers and superusers too, and whatever the form says."""
    reviewer_client = type(client)()
    logged_in(reviewer_client, REVIEWERS)
    live = ConditionFactory(overview="Reviewed.", slug="test-reviewed")
    live = revise_and_publish(reviewer_client, live, overview="Reviewed again.")
    original = live.history.earliest()

    data = change_form_data(original.instance, slug="moved", status=DRAFT)
    assert reviewer_client.post(revert_url(live, original), data).status_code == 302

    live.refresh_from_db()
    assert (live.overview, live.slug, live.status) == (
        "Reviewed again.",
        "test-reviewed",
        Article.Status.PUBLISHED,
    )
    revision = Condition.with_revisions.get(revision_of=live)
    # Its web address and status are the live page's, whatever the form posted.
    assert (revision.overview, revision.slug, revision.status) == ("Reviewed.", live.slug, DRAFT)


def test_an_editor_cannot_revert_an_article_in_review(client):
    """django-simple-history on its own lets anyone who may *view* an article post a revert."""
    reviewer_client = type(client)()
    logged_in(reviewer_client, REVIEWERS)
    article = ConditionFactory(status=DRAFT, overview="Reviewed.")
    edit(reviewer_client, article, overview="Reviewed again.", status=Article.Status.IN_REVIEW)
    original = article.history.earliest()

    logged_in(client, EDITORS)
    page = client.get(revert_url(article, original)).content.decode()
    assert 'name="_save"' not in page  # no Revert button
    response = client.post(revert_url(article, original), change_form_data(original.instance))

    assert response.status_code == 403
    article.refresh_from_db()
    assert article.overview == "Reviewed again."


def test_an_editor_cannot_revert_a_live_page_into_a_revision_in_review(client):
    reviewer_client = type(client)()
    logged_in(reviewer_client, REVIEWERS)
    live = ConditionFactory(overview="Reviewed.")
    original = live.history.earliest()
    revise = reverse("admin:conditions_condition_revise", args=[live.pk])
    assert reviewer_client.post(revise).status_code == 302
    revision = Condition.with_revisions.get(revision_of=live)
    edit(reviewer_client, revision, overview="Waiting.", _ask_review="1")

    logged_in(client, EDITORS)
    assert 'name="_save"' not in client.get(revert_url(live, original)).content.decode()
    response = client.post(revert_url(live, original), change_form_data(original.instance))

    assert response.status_code == 403
    revision.refresh_from_db()
    assert (revision.overview, revision.status) == ("Waiting.", Article.Status.IN_REVIEW)


def test_an_editor_reverting_a_draft_to_a_published_version_keeps_it_a_draft(client):
    reviewer_client = type(client)()
    logged_in(reviewer_client, REVIEWERS)
    article = ConditionFactory(overview="Was live.", reviewed_by="Dana Reyes")
    offline = reverse("admin:conditions_condition_take_offline", args=[article.pk])
    assert reviewer_client.post(offline).status_code == 302
    article.refresh_from_db()
    assert article.status == DRAFT
    # The sign-off is stamped at publish, never typed: cleared here as a reviewer's move to
    # draft used to clear it, so the revert below would have something to bring back.
    type(article).objects.filter(pk=article.pk).update(reviewed_by="")
    published_version = article.history.earliest()
    assert published_version.status == Article.Status.PUBLISHED

    logged_in(client, EDITORS)
    response = client.post(
        revert_url(article, published_version), change_form_data(published_version.instance)
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.overview == "Was live."
    assert article.status == DRAFT
    assert article.reviewed_by == ""


def test_the_launch_articles_have_a_first_version_to_go_back_to(client):
    logged_in(client, REVIEWERS)
    article = Condition.objects.get(slug="cluneal-nerve-entrapment")
    launch = article.history.earliest()
    assert launch.history_change_reason.startswith("Loaded from")
    assert {t.pk for t in article.treatments.all()} == {
        link.treatment_id for link in launch.treatments.all()
    }
    launch_text = article.overview.strip()
    article = revise_and_publish(client, article, overview="Changed after launch.")

    form = BeautifulSoup(client.get(revert_url(article, launch)).content, "html.parser")
    overview = form.select_one("textarea[name=overview]").get_text()
    assert "Changed after launch." not in overview and launch_text[:40] in overview
    # Above the form: what going back would change on the live page.
    assert "Changed after launch." in form.select_one(".field-changes_since_live del").get_text()
    data = change_form_data(launch.instance)
    data["treatments"] = [link.treatment_id for link in launch.treatments.all()]  # as the form has
    response = client.post(revert_url(article, launch), data)

    assert response.status_code == 302
    revision = Condition.with_revisions.get(revision_of=article)  # the live page stays
    assert revision.overview.strip() == launch_text
    assert revision.treatments.count() == launch.treatments.count() > 0
    article.refresh_from_db()
    assert article.overview == "Changed after launch."
