"""Article pages: conditions, treatments and guides, and their lists.

Thin views over `published()` querysets. Anonymous pages are cached whole
(clinic_site/core/pagecache/).

Staff who may change a kind of article (the model's change permission, not mere staff status:
front-desk staff must not read draft clinical content) see drafts and scheduled articles on
their real address, as a preview: a banner says so, and the response is never cached and
never indexed.
"""

from django.contrib.auth import get_permission_codename
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from clinic_site.core import language
from clinic_site.core.page_meta import PageMetaMixin, TopLevelPageMixin, home_crumb
from clinic_site.core.pagecache.middleware import cache_public_page

from . import structured_data
from .models import ArticleImage, BodyArea, Condition, Guide, Reference, Treatment, UrgentAdvice


def published_prefetch(lookup, model):
    return Prefetch(lookup, queryset=model.objects.links())


def body_areas():
    """ "Where does it hurt?": the areas of the published conditions in the active language."""
    return BodyArea.objects.with_counts(
        Condition.objects.published().in_language(language.current())
    )


@method_decorator(cache_public_page(query=("area",)), name="dispatch")
class ConditionListView(TopLevelPageMixin, ListView):
    """The A–Z, or the conditions of one body area (`?area=low-back`): a plain address that
    works without JavaScript, stored by the page cache once per area."""

    template_name = "conditions/condition_list.html"
    page_title = _("Conditions A to Z")
    page_description = _(
        "Conditions we diagnose and treat at Cutting Edge Pain, from A to Z, each explained "
        "in plain words."
    )

    def get(self, request, *args, **kwargs):
        self.area = None
        if "area" in request.GET:
            code = request.GET["area"]
            if code not in BodyArea.Code.values:
                return redirect(request.path)  # an old or mistyped filter: the whole list
            self.area = BodyArea.Code(code)
            self.page_title = format_lazy(_("Conditions: {area}"), area=self.area.label)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        conditions = Condition.objects.links()
        return conditions.filter(body_areas=self.area) if self.area else conditions

    def get_alternates(self):
        """An area's page in each language is the same area's (`?area=` is language-free)."""
        alternates = super().get_alternates()
        if self.area:
            alternates = {code: f"{url}?area={self.area}" for code, url in alternates.items()}
        return alternates

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["areas"] = body_areas()
        context["area"] = self.area
        context["guides"] = [] if self.area else Guide.objects.links()
        if self.area:
            context["canonical_url"] = dict(context["alternates"])[language.current()]
        return context


@method_decorator(cache_public_page, name="dispatch")
class TreatmentListView(TopLevelPageMixin, ListView):
    template_name = "conditions/treatment_list.html"
    page_title = _("Treatments")
    page_description = _(
        "Treatments for back, neck and nerve pain at Cutting Edge Pain: what each one is, "
        "what happens on the day and how you may feel afterwards."
    )

    def get_queryset(self):
        return Treatment.objects.links()


@method_decorator(cache_public_page, name="dispatch")
class ArticleDetailView(PageMetaMixin, DetailView):
    """A published article with its published links, in a fixed number of queries."""

    context_object_name = "article"
    parent_crumb = None  # (label, url name) of the list page above this one
    # (related manager, id, heading) of the link lists under the sections, in page order.
    # Each is prefetched, published articles only, so the query count stays fixed.
    link_blocks = ()
    show_urgent_help = False
    # Whether "Next steps" carries this article to the contact form as the related condition.
    carries_condition = False
    next_steps_text = _("Call us or send us a message. We are happy to answer your questions.")

    @cached_property
    def can_preview(self):
        """May this user see unpublished articles of this kind? (The change permission.)"""
        opts = self.model._meta
        codename = get_permission_codename("change", opts)
        return self.request.user.has_perm(f"{opts.app_label}.{codename}")

    def get_queryset(self):
        # Links to other articles are published ones only, in a preview too: the preview shows
        # the page as the public will see it.
        lookups = [
            published_prefetch(attribute, self.model._meta.get_field(attribute).related_model)
            for attribute, _id, _heading in self.link_blocks
        ]
        lookups += [
            Prefetch("references", queryset=Reference.objects.order_by("position", "pk")),
            Prefetch("images", queryset=ArticleImage.objects.order_by("position", "pk")),
        ]
        # Each language's articles are their own rows: /es/… finds only Spanish ones, so a
        # Spanish address for an article with no Spanish version is a 404 (in Spanish).
        articles = self.model.objects.in_language(language.current())
        if not self.can_preview:
            articles = articles.published()
        return articles.prefetch_related(*lookups)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.can_preview:
            # What staff see may be unpublished: never kept by a browser or a proxy.
            add_never_cache_headers(response)
        if not self.object.is_published:
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def get_preview(self):
        """None for a published article; otherwise what the preview banner says."""
        article = self.object
        if article.is_published:
            return None
        scheduled = article.status == article.Status.PUBLISHED
        return {"scheduled": scheduled, "publish_at": article.publish_at}

    def page_sections(self):
        """The sections, each with the images that follow it (those not placed in the text).
        Images in the first section are likely on screen at once, so only later ones are lazy
        loaded."""
        sections = self.object.written_sections()
        # An image the editor placed in the text (the image button) shows there, not again
        # after its section.
        inline = "".join(section["html"] for section in sections)
        by_section = {}
        for image in self.object.images.all():
            if f'src="{escape(image.url)}"' not in inline:
                by_section.setdefault(image.section, []).append(image)
        for index, section in enumerate(sections):
            section["images"] = by_section.get(section["name"], [])
            section["lazy_images"] = index > 0
        return sections

    def get_page_title(self):
        return self.object.title

    def get_counterpart(self):
        """The published version of this article in the other language, or None."""
        article = self.object
        fields = ("slug", "language", "status", "publish_at")
        published = self.model.objects.published().only(*fields)
        if article.language == language.ENGLISH:
            return published.filter(translation_of=article, language=language.SPANISH).first()
        if article.translation_of_id is None:
            return None
        return published.filter(pk=article.translation_of_id, language=language.ENGLISH).first()

    def get_alternates(self):
        # Only published versions: a page never offers a link that would be a 404.
        versions = [self.object] if self.object.is_published else []
        if counterpart := self.get_counterpart():
            versions.append(counterpart)
        return {a.language: structured_data.absolute(a.get_absolute_url()) for a in versions}

    def get_page_description(self):
        return self.object.summary

    def get_crumbs(self):
        crumbs = [home_crumb()]
        if self.parent_crumb:
            label, url_name = self.parent_crumb
            crumbs.append((label, reverse(url_name)))
        crumbs.append((self.object.title, None))
        return crumbs

    def get_structured_data(self, crumbs):
        return structured_data.medical_web_page(self.object, crumbs)

    def get_link_blocks(self):
        blocks = []
        for attribute, block_id, heading in self.link_blocks:
            if items := list(getattr(self.object, attribute).all()):
                blocks.append({"id": block_id, "heading": heading, "items": items})
        return blocks

    def get_next_steps(self):
        return {
            "heading": _("Next steps"),
            "text": self.next_steps_text,
            "condition": self.object if self.carries_condition else None,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        crumbs = self.get_crumbs()
        sections = self.page_sections()
        link_blocks = self.get_link_blocks()
        next_steps = self.get_next_steps()
        references = list(self.object.references.all())
        sources = [{"id": "sources", "heading": _("Sources")}] if references else []
        context.update(
            preview=self.get_preview(),
            references=references,
            crumbs=crumbs,
            sections=sections,
            link_blocks=link_blocks,
            next_steps=next_steps,
            # The header's "Send us a message" carries it to the form too (includes/get_help.html).
            contact_condition=next_steps["condition"],
            urgent_advice=(
                UrgentAdvice.objects.current(language.current()) if self.show_urgent_help else None
            ),
            contents=[
                *sections,
                *link_blocks,
                {"id": "next-steps", "heading": next_steps["heading"]},
                *sources,
            ],
            structured_data=self.get_structured_data(crumbs),
        )
        return context


class ConditionDetailView(ArticleDetailView):
    model = Condition
    template_name = "conditions/condition_detail.html"
    parent_crumb = (_("Conditions"), "conditions:list")
    show_urgent_help = True
    carries_condition = True
    next_steps_text = _(
        "If this sounds like your pain, we can check for it and talk through your options."
    )
    link_blocks = (
        ("treatments", "treatments", _("Read about each treatment")),
        ("related_conditions", "related-conditions", _("Related conditions")),
        ("guides", "guides", _("Guides")),
    )

    def get_structured_data(self, crumbs):
        treatments = self.object.treatments.all()
        return structured_data.condition_page(self.object, crumbs, treatments)


class TreatmentDetailView(ArticleDetailView):
    model = Treatment
    template_name = "conditions/treatment_detail.html"
    parent_crumb = (_("Treatments"), "conditions:treatment_list")
    link_blocks = (
        ("conditions", "conditions", _("Conditions it is used for")),
        ("guides", "guides", _("Guides")),
    )

    def page_sections(self):
        """The emergency signs after a procedure follow "afterwards" (or end the sections),
        from the urgent advice: one reviewed text on every treatment page."""
        sections = super().page_sections()
        advice = UrgentAdvice.objects.current(language.current())
        if advice is not None and advice.after_procedure_html and sections:
            after = next((s for s in sections if s["name"] == "afterwards"), sections[-1])
            after["after_procedure"] = advice
        return sections


class GuideDetailView(ArticleDetailView):
    model = Guide
    template_name = "conditions/guide_detail.html"
    show_urgent_help = True
    link_blocks = (
        ("treatments", "treatments", _("Read about each treatment")),
        ("related_conditions", "related-conditions", _("Conditions")),
    )
