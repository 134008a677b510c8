"""Phone numbers, the one place they are read, shown and linked (US numbers by default)."""

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
    number = parse(value)
    if number is None:
        return str(value or "")
    if number.country_code == 1:
        digits = phonenumbers.national_significant_number(number)
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    return number.as_international


def tel_href(value):
    """The number as a tel: link (tel:+15744047246), or '' when there is no valid number."""
    number = parse(value)
    return f"tel:{number.as_e164}" if number is not None else ""


def e164(value):
    """What someone typed as the stored form of the number (+15744047246), or None when it
    is not a valid number."""
    number = parse(value)
    return number.as_e164 if number is not None else None
