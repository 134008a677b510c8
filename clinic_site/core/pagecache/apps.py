"""Whole-page cache for anonymous readers (see middleware.py)."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PageCacheConfig(AppConfig):
    name = "clinic_site.core.pagecache"
    label = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        from .triggers import install_triggers

        # After every migrate (and every flush): tables that migrations rebuilt lose their
        # triggers, and a new public model gets its own.
        post_migrate.connect(install_triggers, sender=self)
