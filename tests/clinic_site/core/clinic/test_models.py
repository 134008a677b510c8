"""The clinic's details: one record, the brief's facts by default, nothing invented."""

import pytest
from django.core.exceptions import ValidationError

from clinic_site.core.clinic.models import ClinicDetails

pytestmark = pytest.mark.django_db


def test_the_seeded_record_has_the_briefs_details_and_no_invented_ones():
    details = ClinicDetails.load()
    assert details.name == "Cutting Edge Pain"
    assert details.phone_href == "tel:+15744047246"
    assert details.phone_label == "574-404-PAIN (574-404-7246)"
    assert details.fax == "574-333-3200" and details.email == "info@cuttingedgepain.com"
    assert details.address == "" and details.hours == ""


def test_there_is_only_ever_one_record():
    ClinicDetails(name="Another clinic").save()
    assert ClinicDetails.objects.count() == 1
    assert ClinicDetails.load().name == "Another clinic"


def test_without_a_record_the_pages_still_get_the_briefs_details():
    ClinicDetails.objects.all().delete()
    details = ClinicDetails.load()
    assert details.phone_href == "tel:+15744047246" and details.pk == 1


def test_a_phone_number_that_is_not_one_is_refused_with_a_message():
    details = ClinicDetails.load()
    details.phone = "call us"
    with pytest.raises(ValidationError) as error:
        details.full_clean()
    assert "phone" in error.value.message_dict


def test_address_and_hours_show_one_line_per_row_without_blank_ones():
    details = ClinicDetails(address="1 Example Street\n\n  South Bend  \n", hours="")
    assert details.address_lines == ["1 Example Street", "South Bend"]
    assert details.hours_lines == []
