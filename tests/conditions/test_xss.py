"""Hostile text in every field staff can edit comes out inert on the public page.

A table of XSS payloads goes into each editable field of an article and of its sources and
images at once; the page must then hold no script (other than the escaped JSON-LD data block),
no event handler attribute, no javascript:/data: address and no element that runs or embeds.
"""

import datetime

import pytest
from django.contrib.auth.models import User

from conditions.models import ArticleImage, Reference
from tests.conditions.hostile import PAYLOADS, assert_inert
from tests.factories import ConditionFactory, GuideFactory, TreatmentFactory, png, sign_in

pytestmark = pytest.mark.django_db


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
    sign_in(client, User.objects.create_superuser("boss", password=None))
    response = client.get(article.get_absolute_url())
    assert "Preview: not published" in response.content.decode()
    assert_inert(response.content.decode())


def test_template_syntax_in_a_field_is_shown_as_typed(client):
    article = fill_every_field(ConditionFactory, "{{ 7|add:42 }} {% now 'Y' %}")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "{{ 7|add:42 }}" in html
    assert "{% now &#x27;Y&#x27; %}" in html or "{% now 'Y' %}" in html
