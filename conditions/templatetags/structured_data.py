"""{% json_ld data %}: a schema.org data block. It is data, not script, so a strict
Content-Security-Policy allows it; the JSON is escaped so no text can close the tag."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# The same escapes as Django's json_script: <, > and & can then never end the element.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    if not data:
        return ""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES)
    # Safe: the JSON is escaped above, so no character in it can end the element.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308
