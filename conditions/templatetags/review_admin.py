"""{% review_due_block %}: the "due for medical review" list on the admin index."""

from django import template
from django.contrib.auth import get_permission_codename

from conditions.review import ARTICLE_MODELS, review_due

register = template.Library()


@register.inclusion_tag("admin/conditions/review_due.html", takes_context=True)
def review_due_block(context):
    user = context["request"].user
    models = [
        model
        for model in ARTICLE_MODELS
        if user.has_perm(f"conditions.{get_permission_codename('view', model._meta)}")
    ]
    return {"items": review_due(models=models) if models else [], "show": bool(models)}
