"""The synonym list editors keep (Search synonyms in the admin)."""

from django.contrib import admin

from .models import Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ("words", "terms", "language")
    list_filter = ("language",)
    search_fields = ("words", "terms")
