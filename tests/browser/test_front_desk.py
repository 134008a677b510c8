"""The front desk's job in Chromium, end to end: the count of new inquiries on the admin index,
the list with its name column, "Hernandez" finding José Hernández, the related condition linked
only where the role can go, two staff members' notes both kept, and a history in words (names,
local times, labels, the system's entries marked) with no revert. Then a superuser adds a
medical reviewer on one page and the user list shows the role and the authenticator app. And a
patient's "Send us a message" from a condition's page opens the form with it chosen, without
JavaScript and without a cookie, in both languages. axe-core checks every admin page we own
(less Django's own known findings) and the public pages whole.

With SCREENSHOT_DIR set, each admin screen is saved there at 1,280 and 390 pixels wide.
"""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from conditions.models import Article
from contact.models import Inquiry
from tests.browser.viewports import screenshots
from tests.contact.factories import InquiryFactory
from tests.factories import AuthenticatorFactory, ConditionFactory


def staff(username, first, last, role):
    user = User.objects.create_user(
        username, password=None, first_name=first, last_name=last, is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def check_admin_page(page, axe, where):
    violations = axe.ours(page)
    assert violations == [], axe.format(violations, where)


def test_the_front_desk_works_an_inquiry_from_the_index_to_its_history(
    site, new_context, sign_in, axe
):
    maria = staff("maria", "Maria", "Lopez", "Front desk")
    sam = staff("sam", "Sam", "Okafor", "Front desk")
    sciatica = ConditionFactory(title="Sciatica (test)")
    draft = ConditionFactory(title="Unannounced (test)", status=Article.Status.DRAFT)
    jose = InquiryFactory(name="José Hernández", condition=sciatica)
    about_draft = InquiryFactory(name="Pat Example", condition=draft)
    InquiryFactory(name="Ana Peña")
    InquiryFactory(name="Closed Already", status=Inquiry.Status.CLOSED)
    Inquiry.objects.filter(pk=jose.pk).update(notification_sent_at=timezone.now())

    context = new_context()
    sign_in(context, maria)
    page = context.new_page()

    # The index: how many new inquiries wait, a link to them.
    page.goto(reverse("admin:index"))
    queues = page.locator("#work-queues")
    expect(queues).to_contain_text("New inquiries: 3")
    check_admin_page(page, axe, "the admin index")
    screenshots(page, "index")
    queues.get_by_role("link", name="New inquiries").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(3)

    # The list: a name column; "Hernandez" finds José Hernández.
    expect(page.locator("#result_list thead")).to_contain_text("Name")
    page.locator("#searchbar").fill("Hernandez")
    page.locator("#searchbar").press("Enter")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.locator("td.field-name")).to_have_text("José Hernández")
    check_admin_page(page, axe, "the inquiry list")
    screenshots(page, "inquiry-list")
    rows.locator("th.field-reference a").click()

    # The inquiry: its condition opens (the public page: the front desk cannot open the admin's).
    expect(page.locator("h2").first).to_be_visible()
    condition = page.locator(".field-condition_link a")
    expect(condition).to_have_attribute("href", sciatica.get_absolute_url())
    change_url = page.url

    # A note from Maria, and one from Sam written at the same time: both are kept.
    page.get_by_label("Add a note").fill("Called back, left a voicemail.")
    page.get_by_label("Status").select_option(label="In progress")
    other = new_context()
    sign_in(other, sam)
    sams_page = other.new_page()
    sams_page.goto(change_url)
    sams_page.get_by_label("Add a note").fill("Patient rang back; booked Tuesday.")
    page.get_by_role("button", name="Save", exact=True).click()
    sams_page.get_by_role("button", name="Save", exact=True).click()
    page.goto(change_url)
    entries = page.locator("li.app-notes__entry")
    expect(entries).to_have_count(2)
    expect(entries.nth(0)).to_contain_text("Maria Lopez")
    expect(entries.nth(0)).to_contain_text("Called back, left a voicemail.")
    expect(entries.nth(1)).to_contain_text("Sam Okafor")
    expect(entries.nth(1)).to_contain_text("Patient rang back; booked Tuesday.")
    expect(entries.nth(0).locator("time")).to_have_text(re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d$"))
    # Sam's save did not undo Maria's status change either: he changed nothing but his note.
    expect(page.get_by_label("Status")).to_have_value("in_progress")
    check_admin_page(page, axe, "the inquiry")
    screenshots(page, "inquiry")

    # The history: in words, with names and local times, the system's entries marked, no revert.
    page.get_by_role("link", name="History").click()
    table = page.locator("#change-history table")
    expect(table).to_contain_text("Received from the website")
    expect(table).to_contain_text("Status: New → In progress")
    expect(table).to_contain_text("Staff email sent")
    expect(table).to_contain_text("Added a note")
    system = page.locator("tr.app-history__entry--system")
    expect(system).to_have_count(2)
    expect(system.locator("td").first).to_have_text("System")
    received = timezone.localtime(jose.created_at).strftime("%Y-%m-%d %H:%M")
    expect(page.locator("#change-history tbody tr").first.locator("th")).to_have_text(received)
    text = page.locator("#content-main").inner_text()
    for raw in ("in_progress", "pk=None", "Deleted user", "+00:00", "Revert"):
        assert raw not in text, raw
    expect(page.get_by_role("button", name=re.compile("revert", re.I))).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("revert", re.I))).to_have_count(0)
    check_admin_page(page, axe, "the inquiry's history")
    screenshots(page, "inquiry-history")

    # The inquiry about a draft condition: its title, and no link the front desk cannot open.
    page.goto(reverse("admin:contact_inquiry_changelist") + f"?q={about_draft.reference}")
    page.locator("#result_list th.field-reference a").click()
    cell = page.locator(".field-condition_link .readonly")
    expect(cell).to_have_text("Unannounced (test)")
    expect(cell.locator("a")).to_have_count(0)


def test_a_superuser_adds_a_reviewer_on_one_page_and_sees_the_role_listed(
    site, new_context, sign_in, axe
):
    boss = User.objects.create_superuser("boss", password=None, first_name="Ada", last_name="Boss")
    context = new_context()
    sign_in(context, boss)
    page = context.new_page()
    page.goto(reverse("admin:auth_user_add"))
    check_admin_page(page, axe, "the add staff page")
    screenshots(page, "add-staff")

    page.get_by_label("Username").fill("dreyes")
    page.get_by_label("First name").fill("Dana")
    page.get_by_label("Last name").fill("Reyes")
    page.get_by_label("Email address").fill("dana.reyes@example.com")
    page.get_by_label("Role").select_option(label="Medical reviewers")
    page.get_by_label("Credentials").fill("MD, pain medicine")
    page.locator("#id_password1").fill("plum-orchard-lantern-47")
    page.locator("#id_password2").fill("plum-orchard-lantern-47")
    page.get_by_role("button", name="Save", exact=True).click()

    # Straight back to the list: one page was enough.
    expect(page).to_have_url(re.compile(re.escape(reverse("admin:auth_user_changelist")) + "$"))
    dana = User.objects.get(username="dreyes")
    assert dana.is_staff and dana.staff_profile.signature == "Dana Reyes, MD, pain medicine"
    AuthenticatorFactory(user=boss)  # boss has set up the app; Dana has not yet
    page.reload()
    row = page.locator("#result_list tbody tr", has_text="dreyes")
    expect(row.locator("td.field-role")).to_have_text("Medical reviewers")
    expect(row.locator("td.field-full_name")).to_have_text("Dana Reyes")
    expect(row.locator("td.field-has_second_factor img")).to_have_attribute("alt", "False")
    boss_row = page.locator("#result_list tbody tr", has_text="boss")
    expect(boss_row.locator("td.field-role")).to_have_text("Superuser")
    expect(boss_row.locator("td.field-has_second_factor img")).to_have_attribute("alt", "True")
    check_admin_page(page, axe, "the user list")
    screenshots(page, "user-list")


@pytest.mark.parametrize("language", ["en", "es"])
def test_send_us_a_message_from_a_condition_chooses_it_without_javascript_or_cookies(
    site, new_context, axe, language
):
    condition = ConditionFactory(
        title="Sciatica (test)" if language == "en" else "Ciática (prueba)",
        slug=f"carried-{language}",
        language=language,
    )
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(condition.get_absolute_url())
    link = page.locator("a.app-get-help__contact")
    expect(link).to_have_text("Send us a message" if language == "en" else "Envíenos un mensaje")
    link.click()
    chosen = page.locator("select[name=condition]")
    expect(chosen).to_have_value(str(condition.pk))
    expect(chosen.locator("option:checked")).to_have_text(condition.title)
    expect(page.locator("input[name=reason][value=condition]")).to_be_checked()
    assert context.cookies() == []
    axe_context = new_context()
    axe_page = axe_context.new_page()
    axe_page.goto(page.url)
    axe.check(axe_page)
    screenshots(axe_page, f"contact-from-condition-{language}")
