"""conditions/widgets.py: the section editor's scripts are ours, and its toolbar the pinned
release of markdown-toolbar-element."""

import json
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from conditions.widgets import EDITOR_SCRIPT, TOOLBAR_SCRIPT, SectionEditor

BASE_DIR = Path(__file__).resolve().parents[2]
PACKAGE = "@github/markdown-toolbar-element"


def test_the_vendored_toolbar_is_the_release_package_json_pins():
    pinned = json.loads((BASE_DIR / "package.json").read_text())["devDependencies"][PACKAGE]
    installed = BASE_DIR / "node_modules" / PACKAGE
    if not installed.is_dir():
        pytest.fail(f"{PACKAGE} is missing from node_modules: run `npm ci` first.")
    assert json.loads((installed / "package.json").read_text())["version"] == pinned
    assert f"markdown-toolbar-element-{pinned}/" in TOOLBAR_SCRIPT
    vendored = Path(finders.find(TOOLBAR_SCRIPT))
    assert vendored.read_bytes() == (installed / "dist" / "index.js").read_bytes()
    assert (vendored.parent / "LICENSE").read_text().startswith("Copyright")


def test_the_editor_loads_its_scripts_as_modules_from_static_files():
    media = str(SectionEditor().media)
    for script in (TOOLBAR_SCRIPT, EDITOR_SCRIPT):
        assert finders.find(script) is not None
        assert f'<script src="/static/{script}" type="module"></script>' in media
