"""Spanish versions never silently fall out of date: the flag after an English edit (and not
after a Spanish one), the diff of the English text since, marking in line (reviewers only), the
publish checklist, the review report, and the publishing gate for Spanish rows."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from conditions import checklist, translations
from conditions.models import Article, Condition
from conditions.review import review_due
from tests.conditions.staff import EDITORS, REVIEWERS, change_form_data, logged_in
from tests.factories import ConditionFactory

pytestmark = pytest.mark.django_db

DRAFT = Article.Status.DRAFT
PUBLISHED = Article.Status.PUBLISHED


def english_and_spanish(**spanish):
    english = ConditionFactory(symptoms="- Pain in the low back")
    defaults = {"language": "es", "translation_of": english, "symptoms": "- Dolor en la cintura"}
    defaults.update(spanish)
    spanish_row = ConditionFactory(**defaults)
    translations.mark_in_line(spanish_row)
    return english, spanish_row


def out_of_date():
    return set(Condition.objects.translation_out_of_date())


def test_an_english_edit_puts_the_spanish_version_out_of_date():
    english, spanish = english_and_spanish()
    assert out_of_date() == set()
    english.symptoms = "- Pain in the low back\n- Pain down the leg"
    english.save()
    assert out_of_date() == {spanish}
    spanish.refresh_from_db()
    assert translations.is_out_of_date(spanish)


def test_a_spanish_edit_does_not():
    english, spanish = english_and_spanish()
    spanish.symptoms = "- Dolor en la parte baja de la espalda"
    spanish.save()
    assert out_of_date() == set()


def test_an_english_save_that_changes_no_text_does_not():
    english, _spanish = english_and_spanish()
    english.reviewed_by = "A reviewer"
    english.save()
    assert out_of_date() == set()


def test_the_diff_shows_what_the_english_text_changed_since_the_last_marking():
    english, spanish = english_and_spanish()
    english.symptoms = "- Pain in the low back\n- Numbness down the leg"
    english.save()
    spanish.refresh_from_db()
    then, changes = translations.english_changes(spanish)
    assert then is not None
    assert [c.name for c in changes] == ["symptoms"]
    assert changes[0].added == 4 and changes[0].removed == 0
    assert "Numbness down the leg" in changes[0].diff_html
    assert '<ins class="app-diff__added">' in changes[0].diff_html


def test_marking_in_line_clears_the_flag_and_is_in_the_history():
    english, spanish = english_and_spanish()
    english.title = "A new English title"
    english.save()
    translations.mark_in_line(spanish)
    assert out_of_date() == set()
    assert spanish.history.first().history_change_reason.startswith("Marked in line")
    _then, changes = translations.english_changes(spanish)
    assert changes == []


def changelist(model="condition"):
    return reverse(f"admin:conditions_{model}_changelist")


def test_a_reviewer_marks_a_translation_in_line_from_the_list(client):
    english, spanish = english_and_spanish()
    english.title = "Changed"
    english.save()
    logged_in(client, REVIEWERS)
    listing = client.get(changelist(), {"translation": "outdated"})
    assert spanish.title in listing.content.decode()
    assert english.title not in listing.content.decode().split("result_list")[-1].split("<tr")[1]
    response = client.post(
        changelist(), {"action": "mark_in_line", "_selected_action": [spanish.pk]}, follow=True
    )
    assert response.status_code == 200
    assert out_of_date() == set()


def test_an_editor_cannot_mark_a_translation_in_line(client):
    english, spanish = english_and_spanish()
    english.title = "Changed"
    english.save()
    logged_in(client, EDITORS)
    listing = client.get(changelist())
    assert "mark_in_line" not in listing.content.decode()
    client.post(changelist(), {"action": "mark_in_line", "_selected_action": [spanish.pk]})
    assert out_of_date() == {spanish}


def test_the_spanish_change_form_shows_the_english_original_and_what_changed(client):
    english, spanish = english_and_spanish()
    english.symptoms = "- Pain in the low back\n- Numbness down the leg"
    english.save()
    logged_in(client, REVIEWERS)
    html = client.get(reverse("admin:conditions_condition_change", args=[spanish.pk])).content
    html = html.decode()
    assert "Out of date" in html
    assert reverse("admin:conditions_condition_change", args=[english.pk]) in html
    assert "Numbness down the leg" in html


def test_editors_cannot_publish_a_spanish_version(client):
    english = ConditionFactory()
    spanish = ConditionFactory(language="es", translation_of=english, status=DRAFT)
    logged_in(client, EDITORS)
    data = change_form_data(spanish, status=PUBLISHED, overview="Nuevas palabras.")
    client.post(reverse("admin:conditions_condition_change", args=[spanish.pk]), data)
    spanish.refresh_from_db()
    assert spanish.overview == "Nuevas palabras."  # the draft was saved...
    assert spanish.status == DRAFT  # ...and not published


def test_a_reviewer_publishes_a_spanish_version(client):
    english = ConditionFactory()
    spanish = ConditionFactory(language="es", translation_of=english, status=DRAFT)
    logged_in(client, REVIEWERS)
    data = change_form_data(spanish, status=PUBLISHED)
    response = client.post(reverse("admin:conditions_condition_change", args=[spanish.pk]), data)
    assert response.status_code == 302
    spanish.refresh_from_db()
    assert spanish.status == PUBLISHED


def test_the_publish_checklist_knows_the_spanish_version():
    english = ConditionFactory()
    assert checklist.spanish_version_state(english) == "none"
    spanish = ConditionFactory(language="es", translation_of=english, status=DRAFT)
    assert checklist.spanish_version_state(english) == "draft"
    spanish.status = PUBLISHED
    spanish.save()
    assert checklist.spanish_version_state(english) == "outdated"  # never marked in line
    translations.mark_in_line(spanish)
    assert checklist.spanish_version_state(english) == "published"
    english.summary = "Something new in English, long enough to count as a real change here."
    english.save()
    assert checklist.spanish_version_state(english) == "outdated"


def test_the_review_report_lists_out_of_date_translations(client, capsys):
    english, spanish = english_and_spanish(last_reviewed_on=datetime.date(2026, 11, 1))
    english.title = "Changed"
    english.save()
    states = {(item.article, item.state) for item in review_due()}
    assert (spanish, "translation out of date") in states
    call_command("review_report")
    assert "Translation out of date" in capsys.readouterr().out
    logged_in(client, REVIEWERS)
    index = client.get(reverse("admin:index")).content.decode()
    assert "Spanish version out of date" in index
