"""Hostile text in every field staff can edit comes out inert on the public page.

A table of XSS payloads goes into each editable field of an article and of its sources and
images at once; the page must then hold no script (other than the escaped JSON-LD data block),
no event handler attribute, no javascript:/data: address and no element that runs or embeds.
"""

import datetime
import json
import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User

from conditions.models import ArticleImage, Reference
from tests.factories import ConditionFactory, GuideFactory, TreatmentFactory, png

pytestmark = pytest.mark.django_db

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


def fill_every_field(factory, payload):
    article = factory(
        title=payload[:120],
        summary=payload,
        reviewed_by=payload[:100],
        reviewer_credentials=payload[:100],
        last_reviewed_on=datetime.date(2026, 1, 1),
    )
    for name, _heading in article.SECTIONS:
        setattr(article, name, f"{payload}\n\n- {payload}\n\n### {payload}")
    for name in ("anatomy_label", "symptom_labels", "test_labels"):
        if hasattr(article, name):
            setattr(article, name, payload[:200])
    article.save()
    # Saved without full_clean, as a shell or a future import might: the page must cope.
    Reference.objects.create(
        article=article, title=payload, publisher=payload[:200], year=2020, link=payload[:500]
    )
    ArticleImage.objects.create(
        article=article,
        section=article.SECTIONS[0][0],
        alt=payload[:300],
        caption=payload[:300],
        long_description=payload,
        image=png(40, 30),
    )
    return article


def assert_inert(html):
    page = BeautifulSoup(html, "html.parser")
    for script in page.find_all("script"):
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


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("factory", [ConditionFactory, TreatmentFactory, GuideFactory])
def test_hostile_text_in_every_field_is_inert_on_the_public_page(client, factory, payload):
    article = fill_every_field(factory, payload)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert_inert(response.content.decode())


@pytest.mark.parametrize("payload", PAYLOADS[:6])
def test_hostile_text_is_inert_in_the_staff_preview(client, payload):
    article = fill_every_field(ConditionFactory, payload)
    article.status = "draft"
    article.save()
    client.force_login(User.objects.create_superuser("boss", password=None))
    response = client.get(article.get_absolute_url())
    assert "Preview: not published" in response.content.decode()
    assert_inert(response.content.decode())


def test_template_syntax_in_a_field_is_shown_as_typed(client):
    article = fill_every_field(ConditionFactory, "{{ 7|add:42 }} {% now 'Y' %}")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "{{ 7|add:42 }}" in html
    assert "{% now &#x27;Y&#x27; %}" in html or "{% now 'Y' %}" in html
