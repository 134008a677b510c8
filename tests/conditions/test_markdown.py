"""Markdown sections are rendered to sanitized HTML: nothing an editor types can run script."""

import pytest

from conditions.markdown import render_markdown
from tests.conditions.worst_inputs import MARKDOWN, finishes

HOSTILE = [
    ("<script>alert(1)</script>", "<script"),
    ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>", "<script"),
    ('<img src=x onerror="alert(1)">', "onerror"),
    ('<a href="#" onclick="alert(1)">x</a>', "onclick"),
    ("[click](javascript:alert(1))", "javascript:"),
    ("[click](JaVaScRiPt:alert(1))", "javascript:"),
    ("[click](&#106;avascript:alert(1))", "avascript:"),
    ('<a href="vbscript:msgbox(1)">x</a>', "vbscript:"),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "data:"),
    ('<iframe src="https://evil.example"></iframe>', "<iframe"),
    ('<object data="x.swf"></object>', "<object"),
    ('<embed src="x.swf">', "<embed"),
    ('<svg onload="alert(1)"><circle/></svg>', "onload"),
    ('<math><mi xlink:href="javascript:alert(1)">x</mi></math>', "javascript:"),
    ('<form action="https://evil.example"><input name=q></form>', "<form"),
    ("<style>body{display:none}</style>", "<style"),
    ('<p style="background:url(javascript:alert(1))">x</p>', "style="),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example">', "<meta"),
    ('<base href="https://evil.example/">', "<base"),
    ("<!--<script>alert(1)</script>-->", "<script"),
    ("![x](javascript:alert(1))", "javascript:"),
    ('<img src="https://tracker.example/pixel.gif">', "tracker.example"),
]


@pytest.mark.parametrize(("text", "forbidden"), HOSTILE)
def test_hostile_markdown_is_made_inert(text, forbidden):
    html = render_markdown(f"Before.\n\n{text}\n\nAfter.")
    assert forbidden.lower() not in html.lower()
    assert "After." in html


def test_ordinary_formatting_survives():
    html = render_markdown(
        "Some **bold** and *italic*.\n\n- one\n- two\n\n1. first\n2. second\n\n"
        "### A sub-heading\n\n[Call us](tel:+15744047246) or [read](/urgent-help/)."
    )
    assert "<strong>bold</strong>" in html
    assert "<em>italic</em>" in html
    assert "<li>one</li>" in html
    assert "<ol>" in html
    assert "<h3>A sub-heading</h3>" in html
    assert 'href="tel:+15744047246"' in html
    assert 'href="/urgent-help/"' in html


def test_top_level_headings_become_level_three_below_the_section_heading():
    html = render_markdown("# Big\n\n## Medium")
    assert "<h1" not in html and "<h2" not in html
    assert html.count("<h3>") == 2


def test_links_to_other_sites_do_not_leak_the_page_address():
    html = render_markdown("[NICE](https://www.nice.org.uk/guidance/ng59)")
    assert 'rel="noopener noreferrer"' in html


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "\x00"])
def test_empty_text_renders_nothing(text):
    assert render_markdown(text) == ""


# CommonMark (markdown-it-py) --------------------------------------------------------------------


def test_tables_render_as_tables():
    html = render_markdown("| Treatment | Visits |\n| --- | --- |\n| Nerve block | 1 |")
    assert "<table>" in html and "<th>Treatment</th>" in html and "<td>Nerve block</td>" in html


def test_a_list_may_follow_a_line_of_text_without_a_blank_line():
    html = render_markdown("You may feel:\n- pain\n- tingling")
    assert html == "<p>You may feel:</p>\n<ul>\n<li>pain</li>\n<li>tingling</li>\n</ul>"


def test_bare_web_addresses_stay_text_and_quotes_stay_straight():
    html = render_markdown('See https://example.org "here" -- now...')
    assert "<a" not in html
    assert '"here" -- now...' in html.replace("&quot;", '"')


def test_nesting_stops_at_twenty_levels():
    html = render_markdown("> " * 5000 + "deep")
    assert html.count("<blockquote>") == 20


@pytest.mark.process  # runs the work in a Python process of its own (worst_inputs.finishes)
@pytest.mark.parametrize("name", sorted(MARKDOWN))
def test_the_worst_input_found_renders_at_the_section_limit(name):
    """Each is as long as a section may be: 20,000 "[" took Python-Markdown over a minute."""
    text = MARKDOWN[name]
    printed = finishes(
        f"from conditions.markdown import render_markdown\nprint(len(render_markdown({text!r})))"
    )
    assert int(printed) > 0
