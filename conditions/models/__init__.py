"""Patient articles: conditions, the treatments for them, and general guides.

All are "articles" (article.py): a title, a summary and a fixed, predictable run of Markdown
sections (the structure patients learn to expect from page to page), rendered to sanitized HTML
when saved. The general guide is not about one condition, so it is a sibling model with its own
sections rather than a Condition with most sections left empty: each model's sections say what a
reader finds there. One module per kind; `kinds.py` lists them all; sources and images are
attachments any article carries; `writing_help.py` is the editor's list of plainer words.
"""

from .article import SECTION_MAX_LENGTH, Article, ArticleQuerySet, published_q
from .attachments import ArticleAttachment, Reference, delete_files_on_commit, is_web_link
from .condition import BodyArea, Condition, ConditionQuerySet
from .guide import Guide
from .images import ArticleImage
from .kinds import ARTICLE_MODELS, article_kinds
from .treatment import Treatment
from .urgent_advice import UrgentAdvice, UrgentAdviceQuerySet
from .writing_help import PlainerWord

__all__ = [
    "ARTICLE_MODELS",
    "SECTION_MAX_LENGTH",
    "Article",
    "ArticleAttachment",
    "ArticleImage",
    "ArticleQuerySet",
    "BodyArea",
    "Condition",
    "ConditionQuerySet",
    "Guide",
    "PlainerWord",
    "Reference",
    "Treatment",
    "UrgentAdvice",
    "UrgentAdviceQuerySet",
    "article_kinds",
    "delete_files_on_commit",
    "is_web_link",
    "published_q",
]
