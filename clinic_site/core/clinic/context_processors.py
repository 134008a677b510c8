"""The clinic's details, for the header, footer and contact prompts of every page."""

from django.utils.functional import SimpleLazyObject

from .models import ClinicDetails


def clinic(request):
    # Lazy: a page served from the page cache never renders, so never queries.
    return {"clinic": SimpleLazyObject(ClinicDetails.load)}
