"""Revisions of live pages, asking for medical review, publishing (now or at a set time),
sending back, the reviewer's own signature, and the history that keeps every relation.

Each step is taken in the admin as staff take it (signed-in clients, the change form's POST),
with a reader's anonymous client beside them; email goes through the task API (the immediate
backend here; tests/browser/test_revisions.py runs a real worker and SMTP server)."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic_site.core.pagecache.models import next_publish_time
from conditions import relations, revisions
from conditions.models import Article, Condition, Reference
from conditions.translations import is_out_of_date
from tests.conditions.staff import EDITORS, REVIEWERS, change_form_data, logged_in, staff_user
from tests.factories import ConditionFactory, TreatmentFactory

pytestmark = pytest.mark.django_db

DRAFT, IN_REVIEW, PUBLISHED, SCHEDULED = (
    Article.Status.DRAFT,
    Article.Status.IN_REVIEW,
    Article.Status.PUBLISHED,
    Article.Status.SCHEDULED,
)


def url(article, view="change"):
    return reverse(f"admin:conditions_{article._meta.model_name}_{view}", args=[article.pk])


@pytest.fixture
def editor(client):
    return logged_in(client, EDITORS, email="ed@example.com", first_name="Eddie", last_name="Tor")


@pytest.fixture
def reviewer_client():
    client = Client()
    user = logged_in(
        client, REVIEWERS, email="dana@example.com", first_name="Dana", last_name="Reyes"
    )
    client.user = user
    return client


@pytest.fixture
def live():
    article = ConditionFactory(title="Sciatica", slug="test-sciatica", overview="The live words.")
    treatment = TreatmentFactory(title="Rest")
    article.treatments.add(treatment)
    content_type = ContentType.objects.get_for_model(Condition)
    Reference.objects.create(
        content_type=content_type, object_id=article.pk, title="Live source", position=0
    )
    return article


def revise(client, article):
    response = client.post(url(article, "revise"))
    assert response.status_code == 302
    return Condition.with_revisions.get(revision_of=article)


def reader_sees(path):
    return Client().get(path).content.decode()


# Revising a live page ------------------------------------------------------------------------


def test_an_editor_revises_a_live_page_while_readers_keep_the_live_text(client, editor, live):
    page = client.get(url(live))
    assert "Revise this page" in page.content.decode()
    assert "The live words." in reader_sees(live.get_absolute_url())

    revision = revise(client, live)
    # It starts as a copy of the live page's links and sources.
    assert list(revision.treatments.all()) == list(live.treatments.all())
    assert [r.title for r in revision.references.all()] == ["Live source"]
    data = change_form_data(revision, overview="The revised words, quokka.")
    assert client.post(url(revision), data).status_code == 302

    revision.refresh_from_db()
    live.refresh_from_db()
    assert (revision.overview, revision.status, revision.written_by) == (
        "The revised words, quokka.",
        DRAFT,
        editor,
    )
    assert live.overview == "The live words." and live.status == PUBLISHED
    html = reader_sees(live.get_absolute_url())
    assert "The live words." in html and "revised" not in html
    # The revision is nowhere public: lists, the published queryset, search.
    assert list(Condition.objects.filter(slug=live.slug)) == [live]
    assert not Condition.with_revisions.published().filter(pk=revision.pk).exists()
    assert "revised" not in reader_sees(reverse("conditions:list"))
    assert live.get_absolute_url() not in reader_sees(reverse("search:results") + "?q=quokka")
    assert live.get_absolute_url() in reader_sees(reverse("search:results") + "?q=sciatica")


def test_a_second_revise_opens_the_revision_in_progress(client, editor, live):
    first = revise(client, live)
    assert revise(client, live) == first
    assert Condition.with_revisions.filter(revision_of=live).count() == 1


def test_a_revision_can_never_be_published_in_place(live):
    revision, _created = revisions.start_revision(live, staff_user(EDITORS))
    with pytest.raises(IntegrityError), transaction.atomic():
        Condition.with_revisions.filter(pk=revision.pk).update(status=PUBLISHED)


def test_a_revision_keeps_the_live_pages_address(client, editor, live):
    revision = revise(client, live)
    client.post(url(revision), change_form_data(revision, slug="somewhere-else"))
    revision.refresh_from_db()
    assert revision.slug == "test-sciatica"


# Asking for review -----------------------------------------------------------------------------


def test_asking_for_review_emails_the_reviewers_and_fills_the_queue(
    client, editor, reviewer_client, live, django_capture_on_commit_callbacks
):
    staff_user(REVIEWERS, username="no-mail")  # a reviewer without an address is skipped
    revision = revise(client, live)
    data = change_form_data(revision, overview="The revised words.", _ask_review="1")
    assert client.post(url(revision), data).status_code == 302

    revision.refresh_from_db()
    assert revision.status == IN_REVIEW and revision.review_requested_by == editor
    [message] = mail.outbox
    assert message.to == ["dana@example.com"]
    assert message.subject == "[Cutting Edge Pain] Medical review asked for: Sciatica"
    assert "Eddie Tor asks for a medical review of a revision" in message.body
    assert url(revision) in message.body
    # The editor can no longer change it; the queue on the index shows it.
    assert client.post(url(revision), data).status_code == 403
    index = reviewer_client.get(reverse("admin:index")).content.decode()
    assert "Waiting for medical review (1)" in index
    assert "revision of the live page" in index and "Eddie Tor" in index
    # and "Work waiting" (the admin site's hook) counts it too.
    assert (
        'Conditions waiting for medical review</a>: <span class="app-work-queues__count">1<'
        in index
    )


def test_the_admin_index_asks_the_same_queries_whatever_the_queue_holds(reviewer_client):
    def index_queries():
        with CaptureQueriesContext(connection) as queries:
            assert reviewer_client.get(reverse("admin:index")).status_code == 200
        return len(queries)

    ConditionFactory(status=IN_REVIEW)
    one = index_queries()
    for _n in range(5):
        ConditionFactory(status=IN_REVIEW, review_requested_by=reviewer_client.user)
        TreatmentFactory(status=IN_REVIEW)
    assert index_queries() == one
    assert one <= 28  # 25 measured on SQLite


# Publishing ------------------------------------------------------------------------------------


def asked(client, live, **changes):
    revision = revise(client, live)
    data = change_form_data(revision, _ask_review="1", **changes)
    assert client.post(url(revision), data).status_code == 302
    revision.refresh_from_db()
    return revision


def test_the_reviewer_compares_then_publishes_and_readers_get_it_next_request(
    client, editor, reviewer_client, live
):
    assert "The live words." in reader_sees(live.get_absolute_url())  # stored by the cache
    revision = asked(client, live, overview="The revised words.")
    mail.outbox.clear()

    with CaptureQueriesContext(connection) as queries:
        page = reviewer_client.get(url(revision))
    html = page.content.decode()
    assert "Changes against the live version" in html
    assert "revised" in html and "Save and publish" in html
    assert len(queries) <= 40  # 34 measured on SQLite

    data = change_form_data(revision, _publish_review="1")
    response = reviewer_client.post(url(revision), data)
    assert response.status_code == 302 and response.url == url(live)

    live.refresh_from_db()
    assert live.overview == "The revised words." and live.status == PUBLISHED
    assert not Condition.with_revisions.filter(revision_of=live).exists()
    assert (live.reviewed_by, live.last_reviewed_on) == ("Dana Reyes", timezone.localdate())
    assert (live.written_by, live.published_by) == (editor, reviewer_client.user)
    assert "The revised words." in reader_sees(live.get_absolute_url())
    [message] = mail.outbox
    assert message.to == ["ed@example.com"]
    assert message.subject == "[Cutting Edge Pain] Published: Sciatica"
    newest = live.history.latest()
    assert (newest.written_by, newest.published_by, newest.history_user) == (
        editor,
        reviewer_client.user,
        reviewer_client.user,
    )


def test_the_reviewer_cannot_type_a_name_and_the_stamp_uses_the_staff_profile(
    client, editor, reviewer_client, live
):
    revision = asked(client, live)
    user = reviewer_client.user
    try:
        from clinic_site.core.staff.models import StaffProfile
    except ImportError:
        StaffProfile = None
    if StaffProfile is not None:
        StaffProfile.objects.create(user=user, credentials="MD, pain medicine")
    data = change_form_data(
        revision, _publish_review="1", reviewed_by="Dr Impostor", reviewer_credentials="PhD"
    )
    response = reviewer_client.post(url(revision), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    live.refresh_from_db()
    assert live.reviewed_by == "Dana Reyes"
    assert live.reviewer_credentials == ("MD, pain medicine" if StaffProfile else "")


def test_an_editor_cannot_publish_with_a_crafted_post(client, editor, live):
    revision = asked(client, live, overview="Unreviewed.")
    data = change_form_data(revision, _publish_review="1")
    assert client.post(url(revision), data).status_code == 403
    live.refresh_from_db()
    assert live.overview == "The live words."


def test_sending_back_returns_a_draft_and_emails_the_note(client, editor, reviewer_client, live):
    revision = asked(client, live, overview="Too hard.")
    mail.outbox.clear()
    data = change_form_data(revision, _send_back="1", review_note="Say it more simply.")
    assert reviewer_client.post(url(revision), data).status_code == 302
    revision.refresh_from_db()
    assert (revision.status, revision.review_note) == (DRAFT, "Say it more simply.")
    [message] = mail.outbox
    assert message.to == ["ed@example.com"]
    assert "Sent back for changes: Sciatica" in message.subject
    assert "Say it more simply." in message.body
    # Back with the editor, who sees the note and may change it again.
    page = client.get(url(revision)).content.decode()
    assert "Say it more simply." in page and "Save and ask for medical review" in page


def test_a_revision_published_for_a_set_time_waits_for_it(client, editor, reviewer_client, live):
    revision = asked(client, live, overview="Tomorrow's words.")
    when = timezone.now() + datetime.timedelta(hours=2)
    local = timezone.localtime(when)
    data = change_form_data(
        revision,
        _publish_review="1",
        publish_at_0=local.strftime("%Y-%m-%d"),
        publish_at_1=local.strftime("%H:%M:%S"),
    )
    assert reviewer_client.post(url(revision), data).status_code == 302
    revision.refresh_from_db()
    assert revision.status == SCHEDULED
    # The page cache knows the time: stored pages expire then.
    assert next_publish_time(timezone.now()) == revision.publish_at
    assert "The live words." in reader_sees(live.get_absolute_url())
    assert revisions.apply_due_revisions() == 0

    assert revisions.apply_due_revisions(now=when + datetime.timedelta(seconds=1)) == 1
    live.refresh_from_db()
    assert live.overview == "Tomorrow's words."
    assert live.reviewed_by == "Dana Reyes"


# Taking a page offline is its own step ---------------------------------------------------------


def test_taking_a_page_offline_is_a_separate_confirmed_step(client, editor, reviewer_client, live):
    assert client.post(url(live, "take_offline")).status_code == 403
    confirm = reviewer_client.get(url(live, "take_offline"))
    assert "Yes, take it offline" in confirm.content.decode()
    live.refresh_from_db()
    assert live.status == PUBLISHED  # asking is not doing
    assert reviewer_client.post(url(live, "take_offline")).status_code == 302
    live.refresh_from_db()
    assert live.status == DRAFT
    assert Client().get(live.get_absolute_url()).status_code == 404


def test_the_take_offline_page_says_where_it_is_in_its_breadcrumbs(reviewer_client, live):
    page = BeautifulSoup(reviewer_client.get(url(live, "take_offline")).content, "html.parser")
    crumbs = page.select_one(".breadcrumbs")
    links = {a.get_text(strip=True): a["href"] for a in crumbs.select("a")}
    assert links["Conditions"] == reverse("admin:conditions_condition_changelist")
    assert links["Sciatica"] == url(live)  # back to the article
    assert crumbs.get_text(" ", strip=True).endswith("Sciatica › Take offline")


# Spanish --------------------------------------------------------------------------------------


def test_the_spanish_flag_follows_the_published_english_text_not_revisions(
    client, editor, reviewer_client, live
):
    spanish = ConditionFactory(
        language="es",
        slug="test-ciatica",
        translation_of=live,
        translation_synced_at=timezone.now(),
    )
    revision = asked(client, live, overview="The revised words.")
    spanish.refresh_from_db()
    assert not is_out_of_date(spanish)
    reviewer_client.post(url(revision), change_form_data(revision, _publish_review="1"))
    spanish.refresh_from_db()
    assert is_out_of_date(spanish)


# History keeps every relation ----------------------------------------------------------------


def test_history_keeps_links_and_sources_and_a_revert_restores_them(reviewer_client, live):
    before = live.history.latest()
    relations.record(live)
    before.refresh_from_db()
    assert before.relations["links"]["treatments"] == [
        [t.pk, t.title] for t in live.treatments.all()
    ]
    assert [s["title"] for s in before.relations["sources"]] == ["Live source"]

    other = ConditionFactory(title="Related one")
    live.related_conditions.add(other)
    live.treatments.clear()
    live.references.all().delete()
    live.save()

    revert = reverse("admin:conditions_condition_simple_history", args=[live.pk, before.pk])
    response = reviewer_client.post(revert, change_form_data(before.instance), follow=True)
    assert response.status_code == 200
    # A live page's revert goes into its revision; the live page keeps what it has.
    revision = Condition.with_revisions.get(revision_of=live)
    assert [t.title for t in revision.treatments.all()] == ["Rest"]
    assert list(revision.related_conditions.all()) == []
    assert [r.title for r in revision.references.all()] == ["Live source"]
    assert list(live.treatments.all()) == [] and list(live.related_conditions.all()) == [other]
    assert not live.references.exists()
    # Published, the revision brings them back to the live page (the form posts its links).
    links = {"treatments": [t.pk for t in revision.treatments.all()]}
    reviewer_client.post(url(revision), change_form_data(revision, _ask_review="1", **links))
    revision.refresh_from_db()
    data = change_form_data(revision, _publish_review="1", **links)
    assert reviewer_client.post(url(revision), data).url == url(live)
    assert [t.title for t in live.treatments.all()] == ["Rest"]
    assert list(live.related_conditions.all()) == []
    assert [r.title for r in live.references.all()] == ["Live source"]


def test_a_revert_says_plainly_what_it_cannot_restore(reviewer_client, live):
    relations.record(live)
    before = live.history.latest()
    live.treatments.all().delete()  # the linked treatment page is gone

    revert = reverse("admin:conditions_condition_simple_history", args=[live.pk, before.pk])
    response = reviewer_client.post(revert, change_form_data(before.instance), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("“Rest” no longer exists" in m for m in messages), messages


def test_the_reviewer_sees_what_a_revision_changes_in_links_and_sources(
    client, editor, reviewer_client, live
):
    revision = asked(client, live)  # the form sent no treatments: "Rest" is unlinked
    Reference.objects.create(
        content_type=ContentType.objects.get_for_model(Condition),
        object_id=revision.pk,
        title="A new trial",
        position=1,
    )
    html = reviewer_client.get(url(revision)).content.decode()
    assert "Compared with the live page, as patients see it now." in html
    assert "Added: </span>A new trial" in html
    assert "Removed: </span>Rest" in html


def test_a_revision_shares_its_images_files_and_publishing_keeps_them(
    client, editor, reviewer_client, live, settings, django_capture_on_commit_callbacks
):
    from pathlib import Path

    from conditions.models import ArticleImage
    from tests.factories import png

    image = ArticleImage.objects.create(
        content_type=ContentType.objects.get_for_model(Condition),
        object_id=live.pk,
        image=png(),
        alt="The muscle",
        section="overview",
    )
    files = [Path(settings.MEDIA_ROOT) / name for name in image.stored_files()]
    with django_capture_on_commit_callbacks(execute=True):
        revision = asked(client, live)
        [copy] = revision.images.all()
        assert copy.image.name == image.image.name and copy.pk != image.pk
        reviewer_client.post(url(revision), change_form_data(revision, _publish_review="1"))
    [kept] = live.images.all()
    assert kept.image.name == image.image.name and kept.alt == "The muscle"
    assert all(path.is_file() for path in files)  # neither the copy nor the swap deleted them
    with django_capture_on_commit_callbacks(execute=True):
        kept.delete()  # the last row showing them: now they go
    assert not any(path.is_file() for path in files)
