"""The admin's section editor: a Markdown text box with a toolbar, a live preview and the
plain-language report beside it.

Progressive enhancement: the page arrives with the text box, the preview and the report of the
saved text, rendered here on the server. JavaScript (static/js/admin/article-editor.js) shows
the toolbar and keeps the preview and report up to date while the editor types, through the
admin's preview endpoint; without it the text box is a plain text box and saves as before.
"""

from pathlib import Path

from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property

from clinic_site.core.language import ENGLISH

from .forms import too_long
from .plain_language import analyse

TOOLBAR_SCRIPT = "vendor/markdown-toolbar-element-2.2.3/index.js"
EDITOR_SCRIPT = "js/admin/article-editor.js"


class ProjectFormRenderer(DjangoTemplates):
    """Django's default form renderer, which also finds templates in the project's templates/
    folder (the default one looks in Django's form templates and the apps' folders only)."""

    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [*settings.TEMPLATES[0]["DIRS"], Path(forms.__file__).parent / "templates"],
                "NAME": "project-forms",
                "OPTIONS": {},
            }
        )


RENDERER = ProjectFormRenderer()


class SectionEditor(forms.Textarea):
    template_name = "admin/conditions/widgets/section_editor.html"

    class Media:
        css = {"all": ("css/admin.css",)}
        # Modules run after the page is parsed, in this order, and never inline.
        js = (
            forms.Script(TOOLBAR_SCRIPT, type="module"),
            forms.Script(EDITOR_SCRIPT, type="module"),
        )

    def __init__(
        self,
        attrs=None,
        *,
        preview_url="",
        links_url="",
        heading="",
        language=ENGLISH,
        suggestions=None,
        images=(),
    ):
        super().__init__({"class": "vLargeTextField app-editor__text", "rows": 12, **(attrs or {})})
        self.preview_url = preview_url
        # The link button's search over our pages (JSON); the article's saved images, which
        # the image button offers (the admin gives every editor on a page one lazy list).
        self.links_url = links_url
        self.images = images
        self.heading = heading
        self.language = language
        # {word: plainer word}; the admin gives every editor on a page one lazy lookup.
        self.suggestions = suggestions

    def render(self, name, value, attrs=None, renderer=None):
        return super().render(name, value, attrs, RENDERER)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # Text over the limit (the form is shown again with its error) is not rendered here
        # either: the preview says why it is empty.
        refused = too_long(value or "")
        context["editor"] = {
            "preview_url": self.preview_url,
            "links_url": self.links_url,
            "images": self.images,
            "heading": self.heading,
            "language": self.language,
            "too_long": refused,
            "analysis": analyse("" if refused else value or "", self.language, self.suggestions),
        }
        return context
