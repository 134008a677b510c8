"""Small text helpers the apps share."""

import unicodedata


def nonblank_lines(text):
    """The lines of a one-item-per-line text box, trimmed, without the empty ones."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def fold(text):
    """Lower case, accents removed ("Hernández" → "hernandez", "Inyección" → "inyeccion"):
    how search compares words, the same on SQLite and PostgreSQL."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
