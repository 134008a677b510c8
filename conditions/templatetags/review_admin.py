"""On the admin index: {% review_queue_block %}, what waits for a medical reviewer, and
{% review_due_block %}, the live pages due for medical review."""

from django import template
from django.contrib.auth import get_permission_codename

from conditions.review import ARTICLE_MODELS, review_due, review_queue

register = template.Library()


def viewable_models(user):
    """The article models `user` may see in the admin: what both blocks list."""
    return [
        model
        for model in ARTICLE_MODELS
        if user.has_perm(f"conditions.{get_permission_codename('view', model._meta)}")
    ]


@register.inclusion_tag("admin/conditions/review_due.html", takes_context=True)
def review_due_block(context):
    models = viewable_models(context["request"].user)
    return {"items": review_due(models=models) if models else [], "show": bool(models)}


@register.inclusion_tag("admin/conditions/review_queue.html", takes_context=True)
def review_queue_block(context):
    """The medical review queue on the admin index: what waits for a reviewer, with counts."""
    models = viewable_models(context["request"].user)
    queue = review_queue(models) if models else None
    return {"show": bool(models), "queue": queue}
