"""The contact form, its thank-you page, and the pages a refused post gets.

Thin views: the form validates, `services.submit_inquiry` stores and notifies.

No cookie, in either language: the form is exempt from Django's CSRF middleware, whose cookie
would follow a patient through every page read afterwards. Posts from another site are refused
by crosssite.py and the form's signed token instead.
"""

import logging

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, TemplateView

from clinic_site.core import language
from clinic_site.core.page_meta import PageMetaMixin
from conditions.models import Condition

from . import crosssite, ratelimit
from .forms import InquiryForm, client_tag
from .models import Inquiry
from .services import submit_inquiry

THANKS_SALT = "contact.thanks"

logger = logging.getLogger(__name__)


def thanks_url(inquiry):
    """The thank-you page for one inquiry. The token is the reference, signed: the page shows
    the reference and nothing else, and no one can make it show one they were not given."""
    token = signing.Signer(salt=THANKS_SALT).sign(inquiry.reference)
    return reverse("contact:thanks", kwargs={"token": token})


def rate_limited(request):
    rate = ratelimit.parse_rate(settings.CONTACT_RATE_LIMIT)
    response = TemplateResponse(
        request,
        "contact/rate_limited.html",
        {"page_title": _("Too many messages"), "page_description": ""},
        status=429,
    )
    response["Retry-After"] = str(rate.seconds)
    return response


def refused_cross_site(request):
    return TemplateResponse(
        request,
        "contact/refused.html",
        {"page_title": _("We could not accept this form"), "page_description": ""},
        status=403,
    )


# Nothing a patient typed may appear in error reports: hide every POST value.
@method_decorator(sensitive_post_parameters(), name="dispatch")
@method_decorator(never_cache, name="dispatch")
@method_decorator(csrf_exempt, name="dispatch")  # no cookie: see crosssite.py
class InquiryFormView(PageMetaMixin, FormView):
    template_name = "contact/inquiry_form.html"
    form_class = InquiryForm
    page_title = _("Contact us")
    page_description = _(
        "Send Cutting Edge Pain a message or call us. We reply to new patients and to "
        "questions about conditions, treatments, billing and insurance."
    )
    # Set for each post: a browser header says it came from one of our pages (crosssite.py).
    same_origin = False

    def get_initial(self):
        initial = super().get_initial()
        slug = self.request.GET.get("condition", "")
        if slug and len(slug) <= 120:
            condition = (
                Condition.objects.published()
                .in_language(language.current())
                .filter(slug=slug)
                .first()
            )
            if condition is not None:
                initial["condition"] = condition.pk
                initial["reason"] = Inquiry.Reason.CONDITION
        return initial

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(client=client_tag(self.request), same_origin=self.same_origin)
        return kwargs

    def post(self, request, *args, **kwargs):
        refused, self.same_origin = crosssite.judge(request)
        if refused:
            logger.warning("Refused a contact form posted from another site (%s)", refused)
            return refused_cross_site(request)
        if ratelimit.is_limited(request):
            return rate_limited(request)
        form = self.get_form()
        if form.is_valid() or form.is_refused:
            # Accepted or refused as spam, it counts; mistakes a patient can fix do not. The
            # count and the answer come from one atomic step (ratelimit.py), so forms sent
            # together cannot all slip under the limit.
            if not ratelimit.take(request):
                return rate_limited(request)
        if form.is_valid():
            return self.form_valid(form)
        if form.is_refused:
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return self.form_invalid(form)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            inquiry = submit_inquiry(
                submission_key=form.submission_key,
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                preferred_contact=data["preferred_contact"],
                reason=data["reason"],
                condition=data["condition"],
                message=data["message"],
                consent=data["consent"],
                language=language.current(),
            )
        except ValidationError:
            form.add_error(None, _("Please check your details, then send the form again."))
            return self.form_invalid(form)
        return redirect(thanks_url(inquiry))


@method_decorator(never_cache, name="dispatch")
class InquiryThanksView(PageMetaMixin, TemplateView):
    template_name = "contact/inquiry_thanks.html"
    page_title = _("Thank you: we have your message")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            context["reference"] = signing.Signer(salt=THANKS_SALT).unsign(kwargs["token"])
        except signing.BadSignature:
            raise Http404 from None
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response["X-Robots-Tag"] = "noindex"
        return response
