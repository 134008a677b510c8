"""Site search (see engine.py)."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    name = "clinic_site.sitewide.search"
    label = "search"
    verbose_name = "Search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from conditions.library import LIST_LOADERS
        from conditions.models import ARTICLE_MODELS

        from .models import Synonym
        from .tasks import queue_refresh
        from .triggers import install_triggers

        # load_content reads conditions/content/<language>/synonyms.yaml into this app's table.
        LIST_LOADERS["synonyms"] = Synonym.objects.add_missing

        # After every migrate and flush, as the page cache does: the index is rebuilt from the
        # articles and the triggers that keep it current are (re)created.
        post_migrate.connect(install_triggers, sender=self)
        # The vocabulary (titles, "also called" terms, synonyms) is rebuilt by the task worker
        # after each change, and after every migrate; never on a reader's request.
        for model in (*ARTICLE_MODELS, Synonym):
            post_save.connect(queue_refresh, sender=model, dispatch_uid=f"search-{model}")
            post_delete.connect(queue_refresh, sender=model, dispatch_uid=f"search-{model}-del")
        post_migrate.connect(queue_refresh, sender=self, dispatch_uid="search-migrate")
