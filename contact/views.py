"""Placeholder until the contact issue: the page exists so every page can link to it."""

from django.views.generic import TemplateView


class InquiryFormView(TemplateView):
    template_name = "contact/inquiry_form.html"
