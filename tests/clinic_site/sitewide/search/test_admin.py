"""Editors keep the synonym list in the admin, and a change shows in search at once."""

import pytest
from django.urls import reverse

from clinic_site.sitewide.search.engine import search
from clinic_site.sitewide.search.models import Synonym
from tests.conditions.staff import EDITORS, REVIEWERS, logged_in

pytestmark = [pytest.mark.django_db, pytest.mark.vocabulary]


def test_synonym_admin_pages_load(admin_client):
    assert admin_client.get(reverse("admin:search_synonym_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:search_synonym_add")).status_code == 200
    synonym = Synonym.objects.get(language="en", words="butt")
    url = reverse("admin:search_synonym_change", args=[synonym.pk])
    assert admin_client.get(url).status_code == 200


@pytest.mark.parametrize("group", [EDITORS, REVIEWERS])
def test_editors_and_reviewers_add_a_synonym_that_search_uses_at_once(client, group):
    logged_in(client, group)
    assert search("tailbone", "en").count == 0
    response = client.post(
        reverse("admin:search_synonym_add"),
        {"language": "en", "words": "  tailbone  ", "terms": "cluneal nerve entrapment\n"},
    )
    assert response.status_code == 302
    assert Synonym.objects.get(words="tailbone").term_list() == ["cluneal nerve entrapment"]
    assert search("tailbone", "en").hits[0].title == "Cluneal nerve entrapment"


def test_the_same_words_twice_in_one_language_are_refused(admin_client):
    response = admin_client.post(
        reverse("admin:search_synonym_add"),
        {"language": "en", "words": "BUTT", "terms": "x"},
    )
    assert response.status_code == 200
    assert "already on the list" in response.content.decode()
