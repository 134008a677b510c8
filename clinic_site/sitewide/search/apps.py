"""Site search (see engine.py)."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    name = "clinic_site.sitewide.search"
    label = "search"
    verbose_name = "Search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from conditions.library import LIST_LOADERS

        from .models import Synonym
        from .triggers import install_triggers

        # load_content reads conditions/content/<language>/synonyms.yaml into this app's table.
        LIST_LOADERS["synonyms"] = Synonym.objects.add_missing

        # After every migrate and flush, as the page cache does: the index is rebuilt from the
        # articles and the triggers that keep it current are (re)created.
        post_migrate.connect(install_triggers, sender=self)
