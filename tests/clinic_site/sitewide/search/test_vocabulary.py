"""Search's word list (titles, "also called" terms, synonyms) is rebuilt when content changes,
by the task worker, and stored: a reader's search or suggestion only loads it, never builds it.
"""

import os
import subprocess
import sys

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from clinic_site.sitewide.search import vocabulary
from clinic_site.sitewide.search.models import SearchVocabulary
from clinic_site.sitewide.search.tasks import refresh_vocabulary
from conditions.models import Condition
from tests.clinic_site.core.pagecache.test_instances import REPO
from tests.contact.conftest import shared_database_url

pytestmark = pytest.mark.vocabulary

SLUG = "cluneal-nerve-entrapment"


def stored_titles(language="en"):
    return set(SearchVocabulary.objects.get(language=language).suggestions["title"])


def suggested(client, typed):
    response = client.get(reverse("search:suggest"), {"q": typed})
    return [s["title"] for s in response.json()["suggestions"]]


@pytest.fixture
def readers_never_build(monkeypatch):
    """From here on, building the vocabulary fails the test: readers may only load it."""

    def built_on_a_readers_request(language):
        raise AssertionError(f"the {language} vocabulary was built on a reader's request")

    monkeypatch.setattr(vocabulary, "build", built_on_a_readers_request)


@pytest.mark.django_db
def test_an_edit_is_in_the_stored_word_list_before_any_reader_asks(client, request):
    assert "Cluneal nerve entrapment" in suggested(client, "clun")  # loaded into memory
    condition = Condition.objects.get(slug=SLUG, language="en")
    condition.title = "Wombat nerve entrapment"
    condition.save()  # queues the rebuild (the tests' task backend runs it at once)
    assert "Wombat nerve entrapment" in stored_titles()

    request.getfixturevalue("readers_never_build")
    assert "Wombat nerve entrapment" in suggested(client, "womb")
    assert "Cluneal nerve entrapment" not in suggested(client, "clun")
    page = client.get(reverse("search:results"), {"q": "wombatt nerve"}).content.decode()
    assert "wombat" in page  # "did you mean" knows the new word


@pytest.mark.django_db
def test_labels_stored_in_the_earlier_shape_still_give_suggestions(client):
    """Until the worker rebuilds it after a deploy, a row stored as a list per label and per
    word (before COLUMNS_FORMAT) is read as it is."""
    row = SearchVocabulary.objects.get(language="en")
    columns = row.suggestions
    fields = (columns[name] for name in vocabulary.LABEL_FIELDS)
    labels = [list(label) for label in zip(*fields, strict=True)]
    words = [list(pair) for pair in zip(columns["words"], columns["label_of_word"], strict=True)]
    before = suggested(client, "clun")
    SearchVocabulary.objects.filter(pk=row.pk).update(
        suggestions={"labels": labels, "words": words}
    )  # a new content version: every worker loads the row again
    assert suggested(client, "clun") == before
    assert "Cluneal nerve entrapment" in before


@pytest.mark.process
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_task_worker_rebuilds_it_once_for_many_changes(client, settings, wait_until):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    queued = DBTaskResult.objects.filter(task_path=refresh_vocabulary.module_path)
    queued.delete()
    for n in range(3):
        Condition.objects.get(slug=SLUG, language="en").save()  # each queues a rebuild
        condition = Condition.objects.get(slug=SLUG, language="en")
        condition.title = f"Quokka nerve entrapment {n}"
        condition.save()
    assert queued.ready().count() == 6
    assert "Quokka nerve entrapment 2" not in stored_titles()  # nothing built in the saves

    subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload"],
        cwd=REPO,
        env={
            **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            "DATABASE_URL": shared_database_url(),
            "DJANGO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        },
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert "Quokka nerve entrapment 2" in stored_titles()
    assert queued.ready().count() == 0
    assert queued.successful().count() == 1  # the first took the others off the queue
    assert "Quokka nerve entrapment 2" in suggested(client, "quok")
