"""Small text helpers the apps share."""


def nonblank_lines(text):
    """The lines of a one-item-per-line text box, trimmed, without the empty ones."""
    return [line.strip() for line in text.splitlines() if line.strip()]
