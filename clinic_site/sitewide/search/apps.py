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
        from .tasks import queue_refresh
        from .triggers import install_triggers

        # load_content reads conditions/content/<language>/synonyms.yaml into this app's table.
        LIST_LOADERS["synonyms"] = Synonym.objects.add_missing

        # After every migrate and flush, as the page cache does: the index is rebuilt from the
        # articles and the triggers that keep it current are (re)created.
        post_migrate.connect(install_triggers, sender=self)
        # The vocabulary (titles, "also called" terms, synonyms) is rebuilt by the task worker
        # after each change, and after every migrate; never on a reader's request.
        connect_refresh()
        post_migrate.connect(queue_refresh, sender=self, dispatch_uid="search-migrate")


def _change_signals():
    """(signal, sender, dispatch_uid) of each change of content that queues a rebuild of the
    vocabulary: a save or delete of an article or a synonym."""
    from django.db.models.signals import post_delete, post_save

    from conditions.models import ARTICLE_MODELS

    from .models import Synonym

    for model in (*ARTICLE_MODELS, Synonym):
        yield post_save, model, f"search-{model}"
        yield post_delete, model, f"search-{model}-del"


def connect_refresh():
    """Every save and delete of an article or a synonym queues a rebuild of the vocabulary."""
    from .tasks import queue_refresh

    for signal, sender, uid in _change_signals():
        signal.connect(queue_refresh, sender=sender, dispatch_uid=uid)


def disconnect_refresh():
    """Saves and deletes queue no rebuild (the tests that never read the vocabulary), until
    `connect_refresh()`."""
    for signal, sender, uid in _change_signals():
        signal.disconnect(sender=sender, dispatch_uid=uid)
