"""The front desk's job in the admin, as issue 19 asked it mended: a name column, names found
without their accents, the related condition linked only where the role can open it, notes as a
log, a history in words with no revert, and the count of new inquiries on the index. Each admin
page's query count is bounded."""

import datetime
import zoneinfo

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from conditions.models import Article
from contact.models import Inquiry, InquiryNote
from tests.contact.factories import InquiryFactory
from tests.factories import ConditionFactory, sign_in

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:contact_inquiry_changelist")


def change_url(inquiry):
    return reverse("admin:contact_inquiry_change", args=[inquiry.pk])


def history_url(inquiry):
    return reverse("admin:contact_inquiry_history", args=[inquiry.pk])


def staff_member(username, group, first="", last=""):
    user = User.objects.create_user(
        username, password=None, is_staff=True, first_name=first, last_name=last
    )
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def front_desk(client):
    user = staff_member("desk", "Front desk", "Maria", "Lopez")
    sign_in(client, user)
    return user


def page(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def references_listed(response):
    return {a.get_text() for a in page(response).select("#result_list th.field-reference a")}


def post_change(client, inquiry, **fields):
    data = {"status": inquiry.status, "handled_by": inquiry.handled_by_id or "", "new_note": ""}
    data.update(fields)
    response = client.post(change_url(inquiry), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    inquiry.refresh_from_db()
    return response


# The list ------------------------------------------------------------------------------------


def test_the_list_has_a_name_column(client, front_desk):
    InquiryFactory(name="José Hernández")
    listing = page(client.get(CHANGELIST))
    headers = [th.get_text(strip=True).lower() for th in listing.select("#result_list thead th")]
    assert "name" in headers
    assert listing.select_one("#result_list td.field-name").get_text() == "José Hernández"


@pytest.mark.parametrize("typed", ["Hernandez", "hernandez", "HERNÁNDEZ", "jose hernandez"])
def test_a_name_is_found_without_its_accents(client, front_desk, typed):
    wanted = InquiryFactory(name="José Hernández")
    InquiryFactory(name="Pat Example")
    assert references_listed(client.get(CHANGELIST, {"q": typed})) == {wanted.reference}


def test_accented_search_words_find_an_unaccented_name(client, front_desk):
    wanted = InquiryFactory(name="Jose Hernandez")
    assert references_listed(client.get(CHANGELIST, {"q": "José"})) == {wanted.reference}


def test_the_folded_name_follows_the_name():
    inquiry = InquiryFactory(name="Zoë Ñúñez")
    assert inquiry.search_name == "zoe nunez"
    inquiry.name = "Ana Peña"
    inquiry.save(update_fields=["name"])
    inquiry.refresh_from_db()
    assert inquiry.search_name == "ana pena"


def test_the_list_costs_the_same_queries_for_many_rows(
    client, front_desk, django_assert_max_num_queries
):
    InquiryFactory.create_batch(30)
    # Session, user, second factor, two permission queries, two counts, the rows, the date
    # hierarchy's two, the session saved: none per row.
    with django_assert_max_num_queries(13):
        assert client.get(CHANGELIST, {"q": "pat"}).status_code == 200


# The related condition -----------------------------------------------------------------------


def condition_cell(client, inquiry):
    return page(client.get(change_url(inquiry))).select_one(".field-condition_link .readonly")


def test_the_front_desk_gets_the_public_page_of_a_published_condition(client, front_desk):
    condition = ConditionFactory(title="Sciatica test")
    cell = condition_cell(client, InquiryFactory(condition=condition))
    link = cell.find("a")
    assert link["href"] == condition.get_absolute_url()
    assert "public page" in cell.get_text()
    assert client.get(link["href"]).status_code == 200  # it opens


def test_the_front_desk_gets_no_link_to_a_draft_condition(client, front_desk):
    condition = ConditionFactory(title="Draft test", status=Article.Status.DRAFT)
    cell = condition_cell(client, InquiryFactory(condition=condition))
    assert cell.find("a") is None and cell.get_text(strip=True) == "Draft test"


def test_an_editor_who_can_open_the_condition_gets_its_admin_page(client):
    user = staff_member("editor", "Editors")
    user.groups.add(Group.objects.get(name="Front desk"))
    sign_in(client, user)
    condition = ConditionFactory(title="Draft test", status=Article.Status.DRAFT)
    link = condition_cell(client, InquiryFactory(condition=condition)).find("a")
    assert link["href"] == reverse("admin:conditions_condition_change", args=[condition.pk])
    assert client.get(link["href"]).status_code == 200


# Notes ---------------------------------------------------------------------------------------


def test_notes_are_a_log_a_second_note_does_not_overwrite_the_first(client, front_desk):
    inquiry = InquiryFactory()
    colleague = staff_member("desk2", "Front desk", "Sam", "Okafor")
    other = sign_in(type(client)(), colleague)
    # Both open the page, then each adds a note: nobody's is lost.
    post_change(client, inquiry, new_note="Called back, left a voicemail.")
    post_change(other, inquiry, new_note="Patient rang back; booked Tuesday.")
    notes = list(inquiry.notes.all())
    assert [(n.author, n.text) for n in notes] == [
        (front_desk, "Called back, left a voicemail."),
        (colleague, "Patient rang back; booked Tuesday."),
    ]
    log = page(client.get(change_url(inquiry))).select("li.app-notes__entry")
    assert [entry.select_one(".app-notes__meta").get_text() for entry in log] == [
        f"{timezone.localtime(n.created_at):%Y-%m-%d %H:%M} · {name}"
        for n, name in zip(notes, ["Maria Lopez", "Sam Okafor"], strict=True)
    ]


def test_a_note_alone_is_not_a_change_in_the_history(client, front_desk):
    inquiry = InquiryFactory()
    post_change(client, inquiry, new_note="Just a note")
    assert inquiry.history.count() == 1
    assert inquiry.status_changed_at is None


def test_an_empty_note_adds_nothing_and_a_long_one_is_refused(client, front_desk):
    inquiry = InquiryFactory()
    post_change(client, inquiry, new_note="   ")
    assert not inquiry.notes.exists()
    response = client.post(
        change_url(inquiry), {"status": "new", "handled_by": "", "new_note": "x" * 5001}
    )
    assert response.status_code == 200 and not inquiry.notes.exists()


def test_patient_text_in_a_note_is_escaped(client, front_desk):
    inquiry = InquiryFactory()
    InquiryNote.objects.create(inquiry=inquiry, author=front_desk, text="<script>x()</script>")
    html = client.get(change_url(inquiry)).content.decode()
    assert "<script>x()" not in html and "&lt;script&gt;x()" in html


def test_the_change_page_costs_the_same_queries_for_many_notes(
    client, front_desk, django_assert_max_num_queries
):
    inquiry = InquiryFactory(condition=ConditionFactory())
    for number in range(20):
        InquiryNote.objects.create(inquiry=inquiry, author=front_desk, text=f"Note {number}")
    # Sign-in and permissions (5), the inquiry with its condition, staff for "handled by",
    # the notes with their authors in one, the content type, the session: none per note.
    with django_assert_max_num_queries(13):
        assert client.get(change_url(inquiry)).status_code == 200


# History -------------------------------------------------------------------------------------


def test_the_history_reads_in_words_with_names_local_times_and_the_system_marked(
    client, front_desk, settings
):
    settings.TIME_ZONE = "America/Indiana/Indianapolis"
    inquiry = InquiryFactory()  # received from the website: no person
    Inquiry.objects.filter(pk=inquiry.pk).update(  # the worker's bookkeeping, by UPDATE
        notification_sent_at=timezone.now(), notification_attempts=1
    )
    inquiry.refresh_from_db()
    post_change(client, inquiry, status="in_progress", handled_by=front_desk.pk)
    post_change(client, inquiry, new_note="Called back.")

    history = page(client.get(history_url(inquiry)))
    rows = history.select("#change-history tbody tr")
    cells = [[c.get_text(" ", strip=True) for c in row.select("th, td")] for row in rows]
    whats = [row[2] for row in cells]
    assert whats[0] == "Received from the website"
    assert "Staff email sent" in whats
    changed = next(row for row in cells if row[2].startswith("Changed"))
    assert changed[1] == "Maria Lopez"
    assert "Status: New → In progress" in changed[2]
    assert "Handled by: - → Maria Lopez" in changed[2]
    assert ["Maria Lopez", "Added a note"] == next(r for r in cells if "note" in r[2])[1:]
    # What no person did is marked as the system's.
    system = [row for row in rows if "app-history__entry--system" in row["class"]]
    assert {r.select("td")[1].get_text(strip=True) for r in system} == {
        "Received from the website",
        "Staff email sent",
    }
    assert all(r.select("td")[0].get_text(strip=True) == "System" for r in system)
    # Local time, to the minute; no raw values, no ids, no "revert".
    local = timezone.localtime(inquiry.created_at, zoneinfo.ZoneInfo(settings.TIME_ZONE))
    assert cells[0][0] == f"{local:%Y-%m-%d %H:%M}"
    text = history.select_one("#content-main").get_text(" ")
    for raw in ("in_progress", "pk=None", "None", "Revert", "revert", "+00:00"):
        assert raw not in text, raw
    # The worker's email fields are not shown as anybody's change.
    assert "attempts" not in text.lower()


def test_the_old_version_page_offers_no_revert(client, front_desk):
    inquiry = InquiryFactory()
    record = inquiry.history.first()
    url = reverse("admin:contact_inquiry_simple_history", args=[inquiry.pk, record.history_id])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == history_url(inquiry)
    before = inquiry.status
    client.post(url, {"status": "closed", "handled_by": ""})
    inquiry.refresh_from_db()
    assert inquiry.status == before


def test_a_change_by_a_deleted_staff_member_reads_as_a_former_staff_member(client, front_desk):
    inquiry = InquiryFactory()
    gone = staff_member("gone", "Front desk")
    InquiryNote.objects.create(inquiry=inquiry, author=gone, text="Old note")
    gone.delete()
    text = page(client.get(history_url(inquiry))).select_one("#change-history").get_text(" ")
    assert "a former staff member" in text and "pk=" not in text


def test_the_history_costs_the_same_queries_for_a_long_history(
    client, front_desk, django_assert_max_num_queries
):
    inquiry = InquiryFactory()
    for status in ["in_progress", "new"] * 5:
        post_change(client, inquiry, status=status, handled_by=front_desk.pk)
        post_change(client, inquiry, new_note=f"Now {status}")
    # Sign-in and permissions (5), the inquiry, the records with their users, the staff named
    # in them, the notes with their authors, the session: none per entry.
    with django_assert_max_num_queries(12):
        assert client.get(history_url(inquiry)).status_code == 200


def test_editors_cannot_open_an_inquirys_history(client):
    sign_in(client, staff_member("editor", "Editors"))
    assert client.get(history_url(InquiryFactory())).status_code == 403


# The admin index -----------------------------------------------------------------------------


def work_queues(client):
    index = page(client.get(reverse("admin:index")))
    box = index.find(id="work-queues")
    if box is None:
        return None
    return {
        a.get_text(): (a["href"], li.get_text(" ", strip=True))
        for li in box.select("li")
        for a in li.select("a")
    }


def test_the_index_counts_new_inquiries_and_links_to_them(client, front_desk):
    InquiryFactory.create_batch(3)
    InquiryFactory(status=Inquiry.Status.IN_PROGRESS)
    InquiryFactory(status=Inquiry.Status.CLOSED)
    href, line = work_queues(client)["New inquiries"]
    assert line == "New inquiries : 3"
    listed = client.get(href)
    assert listed.context["cl"].result_count == 3


def test_the_index_shows_no_inquiry_count_to_editors(client):
    sign_in(client, staff_member("editor", "Editors"))
    InquiryFactory()
    queues = work_queues(client)
    assert queues is None or "New inquiries" not in queues


def test_the_index_costs_a_bounded_number_of_queries(
    client, front_desk, django_assert_max_num_queries
):
    InquiryFactory.create_batch(10)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("admin:index")).status_code == 200


def test_an_inquiry_received_on_a_date_shows_that_local_date_in_the_export(client, front_desk):
    """The CSV's notes column carries each note's local time and author."""
    inquiry = InquiryFactory()
    note = InquiryNote.objects.create(inquiry=inquiry, author=front_desk, text="Rang back")
    InquiryNote.objects.filter(pk=note.pk).update(
        created_at=datetime.datetime(2026, 11, 20, 23, 30, tzinfo=datetime.UTC)
    )
    response = client.post(
        CHANGELIST + "?status=all", {"action": "export_csv", "_selected_action": [inquiry.pk]}
    )
    assert "2026-11-20 18:30 Maria Lopez:\nRang back" in response.content.decode("utf-8-sig")


def test_a_note_saved_from_an_older_page_keeps_a_colleagues_status_change(client, front_desk):
    inquiry = InquiryFactory()
    colleague = sign_in(type(client)(), staff_member("desk2", "Front desk", "Sam", "Okafor"))
    # Both pages were loaded while the inquiry was new; Maria moves it on first.
    shown = {"seen_status": "new", "seen_handled_by": ""}
    post_change(client, inquiry, status="in_progress", handled_by=front_desk.pk, **shown)
    post_change(colleague, inquiry, status="new", handled_by="", new_note="Rang back", **shown)
    assert (inquiry.status, inquiry.handled_by) == ("in_progress", front_desk)
    assert inquiry.notes.get().text == "Rang back"
    # What a user does change on their page is saved, as before.
    post_change(colleague, inquiry, status="closed", **{"seen_status": "in_progress"})
    assert inquiry.status == "closed"
