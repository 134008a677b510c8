"""Links between pages, in one language: the pickers offer only pages in the article's
language, a save that links a page in another language is refused with the pages named, and
the section editor's link button searches our pages (JSON) for the address to insert."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.forms.models import ModelChoiceIterator
from django.http import HttpResponseNotAllowed, JsonResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic_site.core.language import ENGLISH, LANGUAGE_CODES

from ..links import internal_paths, resolve_links
from ..markdown import render_markdown
from ..models import ARTICLE_MODELS, Article, UrgentAdvice

# The many-to-many links an article's form may carry (conditions and guides have both).
LINK_FIELDS = ("treatments", "related_conditions")
# At most this many pages per kind in one answer: the editor types more to narrow it.
SEARCH_LIMIT = 10
SEARCH_MAX_CHARS = 100


def language_name(code):
    return {"en": _("English"), "es": _("Spanish")}.get(code, code)


class SameLanguageChoices(ModelChoiceIterator):
    """A picker's options: only the pages in `language`. The field itself still accepts any
    page, so a page in another language is refused by the form's clean() with its title,
    rather than as "not one of the available choices"."""

    def __init__(self, field, language):
        super().__init__(field)
        self.queryset = field.queryset.filter(language=language)


class ArticleForm(forms.ModelForm):
    """The change form of every kind of article: links stay within the page's language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = self.article_language()
        for name in LINK_FIELDS:
            field = self.fields.get(name)
            if field is not None and hasattr(field, "queryset"):
                field.widget.choices = SameLanguageChoices(field, language)

    def article_language(self):
        """The language the form is in: as posted, else as saved, else the default."""
        if self.is_bound:
            posted = self.data.get(self.add_prefix("language"))
            if posted in LANGUAGE_CODES:
                return posted
        if self.instance.pk is not None or "language" not in self.initial:
            return self.instance.language or ENGLISH
        return self.initial["language"]

    def clean(self):
        cleaned = super().clean()
        language = cleaned.get("language") or self.article_language()
        for name in LINK_FIELDS:
            others = [page for page in cleaned.get(name) or () if page.language != language]
            if others:
                self.add_error(name, self._other_language_message(language, others))
        for name in getattr(self._meta.model, "SECTION_NAMES", ()):
            text = cleaned.get(name)
            if not text:
                continue
            links = resolve_links(internal_paths(render_markdown(text)))
            others = [
                link.article
                for link in links
                if link.article is not None and link.article.language != language
            ]
            if others:
                self.add_error(name, self._other_language_message(language, others))
        return cleaned

    @staticmethod
    def _other_language_message(language, pages):
        titles = ", ".join(f"“{page.title}” ({language_name(page.language)})" for page in pages)
        return _(
            "This page is in %(language)s, so it can link only to pages in %(language)s. "
            "Remove %(titles)s, or link its %(language)s version."
        ) % {"language": language_name(language), "titles": titles}


def page_status(article, now):
    if article.status != Article.Status.PUBLISHED:
        return _("Draft")
    if article.publish_at > now:
        return _("Scheduled")
    return _("Published")


class LinkSearchMixin:
    """The link button's search: our pages in one language whose title holds the words typed,
    with the address to insert. JSON, staff only."""

    def get_urls(self):
        opts = self.model._meta
        search = path(
            "links/",
            self.admin_site.admin_view(self.link_search_view),
            name=f"{opts.app_label}_{opts.model_name}_links",
        )
        return [search, *super().get_urls()]

    def link_search_view(self, request):
        """Pages to link from an article of this kind: `q` (words of the title) and `language`.

        Staff only (admin_view), for those who may view this kind of article; only the kinds
        the user may view are searched. A GET that changes nothing, never cached (admin_view);
        no patient data: titles and addresses of our own pages.
        """
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        if not self.has_view_permission(request):
            raise PermissionDenied
        # PostgreSQL refuses a NUL character in a query: it can be no part of a title anyway.
        words = (request.GET.get("q") or "").replace("\x00", "").strip()[:SEARCH_MAX_CHARS]
        language = request.GET.get("language")
        if language not in LANGUAGE_CODES:
            language = ENGLISH
        results = []
        now = timezone.now()
        for model in ARTICLE_MODELS:
            admin = self.admin_site.get_model_admin(model)
            if not admin.has_view_permission(request):
                continue
            pages = model.objects.in_language(language).only(
                "title", "slug", "language", "status", "publish_at"
            )
            for word in words.split()[:8]:
                pages = pages.filter(title__icontains=word)
            pages = pages.order_by("title")
            if model is UrgentAdvice:
                # Every version has the one address: offer it once, as the live version.
                pages = pages.published().order_by("-publish_at", "-pk")[:1]
            for page in pages[:SEARCH_LIMIT]:
                results.append(
                    {
                        "title": page.title,
                        "kind": str(model._meta.verbose_name).capitalize(),
                        "status": str(page_status(page, now)),
                        "published": page.is_published,
                        "url": page.get_absolute_url(),
                    }
                )
        return JsonResponse({"results": results, "language": language})
