"""schema.org JSON-LD for article pages: what search engines read about a page."""

from django.conf import settings

from clinic_site.core.language import SPANISH


def absolute(path):
    return settings.SITE_URL + path


def breadcrumb_list(crumbs, current_url):
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": str(label),
                "item": absolute(url) if url else current_url,
            }
            for position, (label, url) in enumerate(crumbs, start=1)
        ],
    }


def medical_web_page(article, crumbs, about=None):
    url = absolute(article.get_absolute_url())
    page = {
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": article.title,
        "description": article.summary,
        "inLanguage": "es" if article.language == SPANISH else "en-US",
        "dateModified": article.updated_at.isoformat(),
        "datePublished": article.publish_at.isoformat(),
        "breadcrumb": breadcrumb_list(crumbs, url),
    }
    if article.last_reviewed_on:
        page["lastReviewed"] = article.last_reviewed_on.isoformat()
    if article.reviewed_by:
        reviewer = {"@type": "Person", "name": article.reviewed_by}
        if article.reviewer_credentials:
            reviewer["hasCredential"] = {
                "@type": "EducationalOccupationalCredential",
                "name": article.reviewer_credentials,
            }
        page["reviewedBy"] = reviewer
    if about:
        page["about"] = about
    return {"@context": "https://schema.org", **page}


def condition_page(condition, crumbs, treatments):
    about = {
        "@type": "MedicalCondition",
        "name": condition.title,
        "description": condition.summary,
        "url": absolute(condition.get_absolute_url()),
    }
    if condition.anatomy_label:
        about["associatedAnatomy"] = {
            "@type": "AnatomicalStructure",
            "name": condition.anatomy_label,
        }
    if symptoms := condition.symptom_list():
        about["signOrSymptom"] = [{"@type": "MedicalSignOrSymptom", "name": s} for s in symptoms]
    if tests := condition.test_list():
        about["typicalTest"] = [{"@type": "MedicalTest", "name": t} for t in tests]
    if treatments:
        about["possibleTreatment"] = [
            {"@type": "MedicalTherapy", "name": t.title, "url": absolute(t.get_absolute_url())}
            for t in treatments
        ]
    return medical_web_page(condition, crumbs, about=about)
