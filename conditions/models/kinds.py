"""Every kind of article, in one place: the models, in the order staff see them listed."""

from django.db.models import Q

from .condition import Condition
from .guide import Guide
from .treatment import Treatment
from .urgent_advice import UrgentAdvice

# Every kind of article, in the order staff see them listed.
ARTICLE_MODELS = (Condition, Treatment, Guide, UrgentAdvice)


def article_kinds():
    """The content types an attachment may belong to: every kind of article (a literal Q, so
    migrations need not import this module)."""
    return Q(app_label="conditions", model__in=[m._meta.model_name for m in ARTICLE_MODELS])
