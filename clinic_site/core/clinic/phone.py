"""Phone numbers, the one place they are read, shown and linked (US numbers by default)."""

from functools import lru_cache

import phonenumbers
from phonenumber_field.phonenumber import PhoneNumber, to_python


def parse(value):
    """A valid PhoneNumber from what someone typed or stored, or None."""
    number = to_python(value) if value else None
    if isinstance(number, PhoneNumber) and number.is_valid():
        return number
    return None


def display_number(value):
    """574-404-7246 for a US number (how patients read and say it); international otherwise."""
    return _display_number(as_typed(value))


def tel_href(value):
    """The number as a tel: link (tel:+15744047246), or '' when there is no valid number."""
    return _tel_href(as_typed(value))


def as_typed(value):
    """The text a number was read from (as stored, or as typed), without validating it: a
    PhoneNumber's own str(), repr() and truth each validate the number, a slow step."""
    if isinstance(value, PhoneNumber) and value.raw_input:
        return value.raw_input
    return str(value) if value is not None else ""


# Every page shows the clinic's numbers several times: each is parsed and validated once per
# process, not on each use (a millisecond of every uncached page).
@lru_cache(maxsize=64)
def _display_number(text):
    number = parse(text)
    if number is None:
        return text
    if number.country_code == 1:
        digits = phonenumbers.national_significant_number(number)
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    return number.as_international


@lru_cache(maxsize=64)
def _tel_href(text):
    number = parse(text)
    return f"tel:{number.as_e164}" if number is not None else ""


def e164(value):
    """What someone typed as the stored form of the number (+15744047246), or None when it
    is not a valid number."""
    number = parse(value)
    return number.as_e164 if number is not None else None
