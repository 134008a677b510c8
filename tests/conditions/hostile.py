"""Hostile text for the XSS tests, and the check that HTML made from it cannot run anything.

Shared by the public pages' tests (test_xss.py) and the admin preview's (test_admin.py).
"""

import json
import re

from bs4 import BeautifulSoup

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "'><body onload=alert(1)>",
    "</script><script>alert(1)</script>",
    "[click me](javascript:alert(1))",
    "[click me](JaVaScRiPt:alert(1))",
    "[click me]( java\tscript:alert(1))",
    '<a href="javascript:alert(1)">click</a>',
    "<a href='&#106;avascript:alert(1)'>click</a>",
    '<a href="java&#9;script:alert(1)">click</a>',
    '<a href=" &#14; javascript:alert(1)">click</a>',
    "![x](javascript:alert(1))",
    '![x" onerror="alert(1)](https://example.org/x.png)',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<iframe src=javascript:alert(1)></iframe>",
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "<style>body{display:none}</style>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<base href=javascript:alert(1)//>",
    "<details open ontoggle=alert(1)>x</details>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    "<div style=\"background:url('javascript:alert(1)')\">x</div>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<!--<script>alert(1)//--><script>alert(1)</script>",
    "{{ 7|add:42 }} {% now 'Y' %}",
]

URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "data", "xlink:href", "poster"}
FORBIDDEN_ELEMENTS = {"iframe", "object", "embed", "style", "base", "form", "svg", "math"}
C0_AND_SPACE = "".join(map(chr, range(0x21)))
BAD_SCHEMES = re.compile(r"^(javascript|data|vbscript):", re.IGNORECASE)


def assert_inert(html):
    page = BeautifulSoup(html, "html.parser")
    for form in page.select('form.app-search[action="/search/"]'):
        form.decompose()  # the site's own search box, in the header of every page
    for script in page.find_all("script"):
        if script.get("src") == "/static/js/search.js":  # ours, from a file: search suggestions
            assert not script.string
            continue
        assert script.get("type") == "application/ld+json", script
        json.loads(script.string)  # data only, and it did not end early
        assert "</" not in script.string
    for element in page.find_all(True):
        assert element.name not in FORBIDDEN_ELEMENTS, element
        if element.name == "meta":
            assert not element.has_attr("http-equiv"), element
        for attribute, value in element.attrs.items():
            assert not attribute.lower().startswith("on"), element
            if attribute.lower() in URL_ATTRIBUTES:
                values = value if isinstance(value, list) else [value]
                for url in values:
                    # As a browser's URL parser does: tabs and newlines anywhere are dropped,
                    # control characters and spaces at either end are trimmed.
                    cleaned = re.sub(r"[\t\n\r]", "", url).strip(C0_AND_SPACE)
                    assert not BAD_SCHEMES.match(cleaned), element
            if attribute == "style":
                raise AssertionError(f"inline style: {element}")
    assert "49" not in page.get_text() or "7|add:42" in page.get_text()
