"""Phone numbers are read, shown and linked the same way everywhere."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_site.core.clinic import phone
from clinic_site.core.clinic.models import ClinicDetails
from clinic_site.core.clinic.phone import display_number, e164, parse, tel_href


@pytest.mark.parametrize(
    "typed", ["574-404-7246", "(574) 404-7246", "574.404.7246", "+1 574 404 7246", "5744047246"]
)
def test_the_ways_people_write_a_us_number_all_mean_the_same_number(typed):
    assert tel_href(typed) == "tel:+15744047246"
    assert display_number(typed) == "574-404-7246"
    assert e164(typed) == "+15744047246"


@pytest.mark.parametrize("typed", ["", "12", "not a number", "574-404-724", None])
def test_what_is_not_a_number_gives_no_link(typed):
    assert parse(typed) is None
    assert tel_href(typed) == ""
    assert e164(typed) is None


def test_a_number_abroad_is_shown_in_international_form():
    assert display_number("+44 20 7946 0958") == "+44 20 7946 0958"
    assert tel_href("+44 20 7946 0958") == "tel:+442079460958"


@pytest.mark.parametrize(
    ("stored", "shown"),
    [("+15744047246", "574-404-7246"), ("+442079460000", "+44 20 7946 0000"), ("", "")],
)
def test_stored_numbers_are_shown_the_way_people_read_them(stored, shown):
    assert display_number(stored) == shown


@settings(max_examples=100, deadline=None)
@given(value=st.text(max_size=60))
def test_any_text_is_either_refused_or_read_as_an_e164_number(value):
    number = e164(value)
    assert number is None or (number.startswith("+") and number[1:].isdigit() and len(number) <= 16)


@pytest.mark.django_db
def test_the_clinics_number_is_validated_once_per_process_not_on_each_use(client, monkeypatch):
    """Pages show the number several times (header, footer, contact prompts), and a
    PhoneNumber's own str() validates it each time: a millisecond of every uncached page."""
    validations = []
    is_valid_number = phone.phonenumbers.is_valid_number
    monkeypatch.setattr(
        phone.phonenumbers,
        "is_valid_number",
        lambda number: validations.append(number) or is_valid_number(number),
    )
    phone._display_number.cache_clear()
    phone._tel_href.cache_clear()
    for _ in range(2):
        assert b'href="tel:+15744047246"' in client.get("/search/?q=sciatica").content
        assert ClinicDetails.load().phone_label == "574-404-PAIN (574-404-7246)"
    assert len(validations) <= 2  # once for the digits shown, once for the tel: link
