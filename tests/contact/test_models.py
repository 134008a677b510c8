"""Inquiry: references, phone display, the database's own checks, and the retention query."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from contact.models import REFERENCE_ALPHABET, Inquiry, new_reference
from tests.contact.factories import InquiryFactory


def test_references_are_short_and_avoid_look_alike_characters():
    references = {new_reference() for _ in range(500)}
    assert len(references) == 500
    for reference in references:
        assert reference.startswith("R-") and len(reference) == 8
        assert set(reference[2:]) <= set(REFERENCE_ALPHABET)
        assert not set(reference[2:]) & set("01OIL")


@pytest.mark.django_db
def test_the_database_refuses_an_inquiry_with_no_way_to_reply():
    with pytest.raises(IntegrityError):
        InquiryFactory(email="", phone="")


@pytest.mark.django_db
def test_the_database_refuses_an_inquiry_without_consent():
    with pytest.raises(IntegrityError):
        InquiryFactory(consent=False)


@pytest.mark.django_db
def test_the_submission_key_is_unique():
    InquiryFactory(submission_key="same")
    with pytest.raises(IntegrityError):
        InquiryFactory(submission_key="same")


@pytest.mark.django_db
def test_only_old_closed_inquiries_are_purgeable(settings):
    settings.CONTACT_RETENTION_DAYS = 10
    old_closed = InquiryFactory(status=Inquiry.Status.CLOSED)
    old_open = InquiryFactory()
    Inquiry.objects.filter(pk__in=[old_closed.pk, old_open.pk]).update(
        created_at=timezone.now() - timedelta(days=11)
    )
    InquiryFactory(status=Inquiry.Status.CLOSED)
    assert list(Inquiry.objects.purgeable()) == [old_closed]
