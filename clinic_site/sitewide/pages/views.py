"""The site's own pages: home, urgent help, robots.txt and the favicon (error pages: errors.py)."""

from django.conf import settings
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from clinic_site.core import language
from clinic_site.core.page_meta import PageMetaMixin, TopLevelPageMixin
from clinic_site.core.pagecache.middleware import cache_public_page
from conditions.models import Condition, Guide, UrgentAdvice
from conditions.views import body_areas


@method_decorator(cache_public_page, name="dispatch")
class HomeView(PageMetaMixin, TemplateView):
    template_name = "pages/home.html"
    page_description = _(
        "Cutting Edge Pain treats back, neck and nerve pain without surgery. Read about "
        "conditions and treatments, and call or write to us."
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["areas"] = body_areas()
        context["conditions"] = Condition.objects.links()
        context["guides"] = Guide.objects.links()
        return context


@method_decorator(cache_public_page, name="dispatch")
class UrgentHelpView(TopLevelPageMixin, TemplateView):
    """The urgent advice in full, as medical reviewers published it."""

    template_name = "pages/urgent_help.html"
    page_title = _("Back pain: when to get urgent help")
    page_description = _(
        "Signs that back pain needs help today: when to call 911, when to call your doctor "
        "the same day, and when to call the clinic."
    )
    crumb_label = _("Urgent help")

    def get_context_data(self, **kwargs):
        advice = UrgentAdvice.objects.current(language.current())
        if advice is not None and advice.language == language.current():
            self.page_title, self.page_description = advice.title, advice.summary
        context = super().get_context_data(**kwargs)
        context["advice"] = advice
        context["references"] = list(advice.references.all()) if advice else []
        return context


@require_GET
def robots_txt(request):
    """Everything may be crawled; the sitemap lists what is worth it. The admin is not named
    here (a Disallow line would print DJANGO_ADMIN_URL for anyone to read): it keeps search
    engines out itself, with an X-Robots-Tag header on every answer (staff/middleware.py)."""
    lines = [
        "User-agent: *",
        "Disallow:",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page declares."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
