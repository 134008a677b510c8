"""The screen sizes the browser tests use: a phone (most patients) and a desktop."""

import os
from pathlib import Path

import pytest

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
WIDTHS = (PHONE, DESKTOP)
# A test run once at each size, as `viewport`.
EACH_WIDTH = pytest.mark.parametrize("viewport", WIDTHS, ids=["390px", "1280px"])


def screenshots(page, name):
    """With SCREENSHOT_DIR set, saves the whole page there at each width, for people to look
    at (NAME-390.png, NAME-1280.png), then gives the page its size back."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if not folder:
        return
    size = page.viewport_size
    for viewport in WIDTHS:
        page.set_viewport_size(viewport)
        page.screenshot(path=str(Path(folder) / f"{name}-{viewport['width']}.png"), full_page=True)
    page.set_viewport_size(size)
