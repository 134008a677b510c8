"""A mistyped contact setting is reported by `manage.py check`, before any patient meets it."""

import pytest

from contact.checks import check_contact_settings


def error_ids():
    return [error.id for error in check_contact_settings(None)]


def test_the_default_settings_pass():
    assert error_ids() == []


@pytest.mark.parametrize(
    ("name", "value", "error_id"),
    [
        ("CONTACT_RATE_LIMIT", "lots", "contact.E001"),
        ("CONTACT_RECIPIENTS", [], "contact.E002"),
        ("CONTACT_RECIPIENTS", ["front desk"], "contact.E003"),
        ("CONTACT_MIN_SECONDS", 100000, "contact.E004"),
    ],
)
def test_a_bad_setting_is_reported(settings, name, value, error_id):
    setattr(settings, name, value)
    assert error_ids() == [error_id]
