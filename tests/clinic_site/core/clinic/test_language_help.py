"""Language help and the after-hours number: empty until staff set them (never invented); once
set, every page says so beside the phone, in the reader's language."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from clinic_site.core.clinic.models import ClinicDetails
from tests.factories import sign_in

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/conditions/sciatica/",
    "/treatments/cryoablation/",
    "/contact/",
    "/urgent-help/",
    "/es/",
    "/es/afecciones/ciatica/",
    "/es/contacto/",
]


def beside_the_phone(client, url):
    page = BeautifulSoup(client.get(url).content, "html.parser")
    help_box = page.select_one(".app-get-help")
    assert help_box.select_one('a[href="tel:+15744047246"]'), url
    line = help_box.select_one(".app-get-help__languages")
    return line.get_text(" ", strip=True) if line else None


def test_by_default_nothing_is_said_about_languages_or_after_hours():
    details = ClinicDetails.load()
    assert details.staff_languages == [] and not details.interpreter_available
    assert details.after_hours_phone == ""


@pytest.mark.parametrize("url", PAGES)
def test_pages_say_nothing_until_staff_set_it(client, url):
    assert beside_the_phone(client, url) is None


@pytest.mark.parametrize("url", PAGES)
def test_once_set_every_page_says_it_beside_the_phone_in_its_language(client, url):
    details = ClinicDetails.load()
    details.staff_languages = ["en", "es"]
    details.interpreter_available = True
    details.save()

    line = beside_the_phone(client, url)

    if url.startswith("/es/"):
        assert line == "Hablamos: inglés, español. Intérprete gratis disponible."
    else:
        assert line == "We speak: English, Spanish. Free interpreter available."


def test_staff_set_languages_in_the_admin_by_ticking_boxes(client, admin_user):
    sign_in(client, admin_user)
    url = reverse("admin:clinic_clinicdetails_change", args=[1])
    form = BeautifulSoup(client.get(url).content, "html.parser")
    assert form.select('input[type="checkbox"][name="staff_languages"]')
    data = {
        "name": "Cutting Edge Pain",
        "phone": "574-404-7246",
        "phone_letters": "574-404-PAIN",
        "after_hours_phone": "574-555-0100",
        "fax": "574-333-3200",
        "email": "info@cuttingedgepain.com",
        "address": "",
        "hours": "",
        "staff_languages": ["es", "vi"],
        "interpreter_available": "on",
    }
    assert client.post(url, data).status_code == 302
    details = ClinicDetails.load()
    assert details.staff_languages == ["es", "vi"]
    assert details.after_hours_href == "tel:+15745550100"


def test_a_treatment_page_gives_the_after_hours_number_once_there_is_one(client):
    url = "/treatments/epidural-steroid-injection/"
    page = BeautifulSoup(client.get(url).content, "html.parser")
    card = page.select_one(".app-after-procedure")
    assert "do not wait for us" in card.get_text()
    details = ClinicDetails.load()
    details.after_hours_phone = "+15745550100"
    details.save()

    card = BeautifulSoup(client.get(url).content, "html.parser").select_one(".app-after-procedure")

    assert card.select_one('a[href="tel:+15745550100"]').get_text() == "574-555-0100"


def test_the_signs_after_a_procedure_follow_the_afterwards_section(client):
    page = BeautifulSoup(client.get("/treatments/radiofrequency-ablation/").content, "html.parser")
    section = page.select_one("#afterwards").find_parent("section")
    assert section.select_one(".app-after-procedure #after-procedure-heading")
