"""Phone numbers are read, shown and linked the same way everywhere."""

import pytest

from clinic_site.clinic.phone import parse, phone_display, search_form, tel_href


@pytest.mark.parametrize(
    "typed", ["574-404-7246", "(574) 404-7246", "574.404.7246", "+1 574 404 7246", "5744047246"]
)
def test_the_ways_people_write_a_us_number_all_mean_the_same_number(typed):
    assert tel_href(typed) == "tel:+15744047246"
    assert phone_display(typed) == "574-404-7246"
    assert search_form(typed) == "+15744047246"


@pytest.mark.parametrize("typed", ["", "12", "not a number", "574-404-724", None])
def test_what_is_not_a_number_gives_no_link(typed):
    assert parse(typed) is None
    assert tel_href(typed) == ""
    assert search_form(typed) is None


def test_a_number_abroad_is_shown_in_international_form():
    assert phone_display("+44 20 7946 0958") == "+44 20 7946 0958"
    assert tel_href("+44 20 7946 0958") == "tel:+442079460958"
