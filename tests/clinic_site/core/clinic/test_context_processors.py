"""The clinic's details on every page."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from clinic_site.core.clinic.models import ClinicDetails

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_clinic_details_show_in_header_and_footer_and_empty_fields_are_hidden(client):
    details = ClinicDetails.load()
    details.address = ""
    details.hours = ""
    details.save()
    page = soup(client.get(reverse("pages:home")))
    header, footer = page.find("header"), page.find("footer")
    assert header.find("a", href="tel:+15744047246")
    assert header.find("a", href=reverse("contact:form"))
    assert footer.find("a", href="mailto:info@cuttingedgepain.com")
    assert "574-333-3200" in footer.get_text()
    assert "Address" not in footer.get_text()
    assert "Opening hours" not in footer.get_text()
    assert "not medical advice" in footer.get_text()
    assert "911" in footer.get_text()
