"""The header and footer every page shares (templates/includes/): rendered once per process for
each language, view and set of clinic details (the "chrome" cache), so each test loads pages
one after another in one process, and what changes them shows on the very next page."""

import pytest
from bs4 import BeautifulSoup

from clinic_site.core.clinic.models import ClinicDetails
from clinic_site.core.language import ENGLISH, SPANISH, reverse_in

pytestmark = pytest.mark.django_db

MAIN_LINKS = ["pages:home", "conditions:list", "conditions:treatment_list", "pages:urgent",
              "contact:form"]  # fmt: skip


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize("language", [ENGLISH, SPANISH])
def test_each_page_marks_its_own_main_link_current_in_the_bar_and_the_menu(client, language):
    search = reverse_in(language, "search:results")
    for view_name in [*MAIN_LINKS, "search:results", *reversed(MAIN_LINKS)]:
        html = page(client, reverse_in(language, view_name))
        current = [a["href"] for a in html.select('header nav [aria-current="page"]')]
        if view_name == "search:results":
            assert current == [], search
        else:
            assert current == [reverse_in(language, view_name)] * 2, view_name


def test_a_change_to_the_clinic_details_shows_in_the_next_pages_header_and_footer(client):
    search = reverse_in(ENGLISH, "search:results")
    before = page(client, search)  # the header and footer are stored now
    assert before.select_one(".app-header__name").get_text().startswith("Cutting Edge Pain")
    assert "574-333-3200" in before.footer.get_text()

    details = ClinicDetails.load()
    details.name = "Cutting Edge Pain Center"
    details.phone = "+15745550199"
    details.fax = "574-555-0100"
    details.save()

    after = page(client, search)
    assert after.select_one(".app-header__name").get_text().startswith("Cutting Edge Pain Center")
    assert after.header.find("a", href="tel:+15745550199")
    assert after.footer.find("a", href="tel:+15745550199")
    assert "574-555-0100" in after.footer.get_text()
    assert "574-333-3200" not in after.footer.get_text()


def test_each_language_gets_its_own_header_and_footer(client):
    english = page(client, reverse_in(ENGLISH, "search:results"))
    spanish = page(client, reverse_in(SPANISH, "search:results"))
    assert english.html["lang"].startswith("en") and spanish.html["lang"] == "es"
    assert "Menu" in english.header.get_text() and "Menu" not in spanish.header.get_text()
    assert "emergency" in english.footer.get_text()
    assert "emergencia" in spanish.footer.get_text()
    assert english.select_one("nav a")["href"] == reverse_in(ENGLISH, "pages:home")
    assert spanish.select_one("nav a")["href"] == reverse_in(SPANISH, "pages:home")
