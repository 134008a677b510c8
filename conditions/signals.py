"""Files follow their rows: a deleted image's files leave storage too."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import ArticleImage, delete_files_on_commit


@receiver(post_delete, sender=ArticleImage)
def delete_image_files(sender, instance, **kwargs):
    # post_delete, not delete(): it also runs when the article's deletion cascades.
    delete_files_on_commit(instance.stored_files())
