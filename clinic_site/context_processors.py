"""Template context every page needs."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .models import ClinicDetails


def clinic(request):
    return {
        # Lazy: a page served from the page cache never renders, so never queries.
        "clinic": SimpleLazyObject(ClinicDetails.load),
        "canonical_url": settings.SITE_URL + request.path,
        "site_url": settings.SITE_URL,
    }
