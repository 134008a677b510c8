"""Files follow their rows (a deleted image's files leave storage too, once no row shows
them), and each version in an article's history keeps its relations."""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

from . import relations
from .models import Article, ArticleImage


@receiver(post_delete, sender=ArticleImage)
def delete_image_files(sender, instance, **kwargs):
    # post_delete, not delete(): it also runs when the article's deletion cascades.
    ArticleImage.delete_files_if_unused(instance.stored_files())


@receiver(pre_create_historical_record)
def keep_relations_in_history(sender, instance, history_instance, **kwargs):
    """Each version of an article keeps its links, sources and images (relations.py)."""
    if not isinstance(instance, Article) or instance.pk is None:
        return
    if history_instance.history_type == "+":
        # Just added: nothing can point at it yet (a form saves its links, sources and images
        # after the row, and `relations.record` writes them into this version then).
        history_instance.relations = relations.empty(type(instance))
    else:
        history_instance.relations = relations.snapshot(instance)
