"""Loading at process start what the admin's live preview would otherwise load on its first
use: the syllable dictionaries the writing help counts with (about 2 s of reading files, once
per process). Called by the WSGI module (clinic_site/wsgi.py), so each server process pays it
as it starts, before it takes a request, and no editor waits on the first preview. Commands,
tests and the task worker never load it unless they use it."""

from django.template.loader import render_to_string

from .admin.editor import REPORT_TEMPLATE
from .markdown import render_markdown
from .plain_language import analyse
from .readability import LANGUAGES

SAMPLE = "We can help with the pain. Read more about [the nerves](/conditions/).\n\n- rest\n- walk"


def warm_up():
    """One preview in each language: everything the first real one would load."""
    render_markdown(SAMPLE)
    for code in LANGUAGES:
        render_to_string(REPORT_TEMPLATE, {"report": analyse(SAMPLE, code, {}).report})
