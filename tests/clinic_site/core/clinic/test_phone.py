"""Phone numbers are read, shown and linked the same way everywhere."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
