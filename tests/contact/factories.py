"""Inquiries and contact form posts for the contact tests."""

import time

import factory
from django.test import RequestFactory

from contact.forms import HONEYPOT_FIELD, TOKEN_FIELD, client_tag, new_form_token
from contact.models import Inquiry


def client_at(address="127.0.0.1"):
    """The `client_tag` of a client at `address` (the test client's own, by default)."""
    return client_tag(RequestFactory().get("/", REMOTE_ADDR=address))


class InquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inquiry

    submission_key = factory.Sequence(lambda n: f"test-key-{n}")
    name = "Pat Example"
    email = factory.Sequence(lambda n: f"patient{n}@example.com")
    phone = "+15745550123"
    preferred_contact = Inquiry.PreferredContact.EITHER
    reason = Inquiry.Reason.NEW_PATIENT
    message = "Please call me about an appointment."
    consent = True


def served_token(seconds_ago=30, address="127.0.0.1"):
    """A form token as if the form had been served `seconds_ago` to a client at `address`."""
    return new_form_token(now=time.time() - seconds_ago, client=client_at(address))


def form_post(**overrides):
    """A valid POST of the contact form, served half a minute ago to the test client's address
    (127.0.0.1)."""
    data = {
        "name": "Pat Example",
        "email": "pat@example.com",
        "phone": "574-555-0123",
        "preferred_contact": "email",
        "reason": "new_patient",
        "condition": "",
        "message": "I would like an appointment, please.",
        "consent": "on",
        HONEYPOT_FIELD: "",
        TOKEN_FIELD: served_token(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
