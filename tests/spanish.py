"""Spanish pages for the tests: a few Spanish rows made with the factories, and every Spanish
page the site publishes (fixed pages plus whatever Spanish articles are published, so seeded
launch content is walked too)."""

import re
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.utils import timezone

from clinic_site.core import language
from conditions.models import Article, Condition, Guide, Treatment, UrgentAdvice
from tests.factories import ConditionFactory, GuideFactory, TreatmentFactory

CATALOGUE_PO = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"

FIXED_PAGES = ("pages:home", "conditions:list", "conditions:treatment_list", "pages:urgent",
               "contact:form")  # fmt: skip


def spanish_rows():
    """A Spanish condition, treatment and guide, each a version of an English one, one Spanish
    treatment with no English original, and Spanish urgent advice."""
    english_condition = ConditionFactory(title="Sore back", slug="sore-back")
    condition = ConditionFactory(
        language="es",
        translation_of=english_condition,
        title="Dolor de espalda de prueba",
        slug="dolor-de-espalda",
        summary="Un resumen corto de esta afección, escrito en español sencillo.",
        overview="Es un dolor en la parte baja de la espalda.",
        symptoms="- dolor\n- más dolor",
        reviewed_by="Nombre de prueba",
        reviewer_credentials="MD",
        last_reviewed_on=timezone.localdate(),
    )
    english_treatment = TreatmentFactory(title="Numbing shot", slug="numbing-shot")
    treatment = TreatmentFactory(
        language="es",
        translation_of=english_treatment,
        title="Inyección de prueba",
        slug="inyeccion",
        summary="Una inyección que calma el dolor por un tiempo.",
        what_it_is="Una inyección pequeña.",
    )
    solo = TreatmentFactory(
        language="es",
        title="Tratamiento solo en español",
        slug="solo-en-espanol",
        summary="Este tratamiento no tiene versión en inglés.",
        what_it_is="Un tratamiento de prueba.",
    )
    condition.treatments.add(treatment, solo)
    english_guide = GuideFactory(title="A guide", slug="a-guide")
    guide = GuideFactory(
        language="es",
        translation_of=english_guide,
        title="Guía de prueba",
        slug="guia",
        summary="Una guía corta para la prueba.",
        overview="Lo que dice esta guía.",
    )
    guide.related_conditions.add(condition)
    english_advice = UrgentAdvice.objects.current()
    advice = UrgentAdvice.objects.create(
        language="es",
        translation_of=english_advice,
        title="Dolor de espalda: cuándo buscar ayuda urgente",
        slug="ayuda-urgente-prueba",
        summary="Las señales que necesitan ayuda hoy mismo.",
        emergency="- no puede controlar la orina",
        same_day="- tiene fiebre",
        clinic="- el dolor no mejora",
        status=Article.Status.PUBLISHED,
        # Newer than the seeded Spanish advice, so it is the one shown.
        publish_at=timezone.now() - timezone.timedelta(seconds=1),
    )
    return {"condition": condition, "treatment": treatment, "solo": solo, "guide": guide,
            "advice": advice}  # fmt: skip


def spanish_pages():
    """(address, expected status) of every Spanish page: the fixed pages, every published
    Spanish article, the thank-you page and a 404."""
    urls = [language.reverse_in("es", name) for name in FIXED_PAGES]
    urls.append(language.reverse_in("es", "conditions:list") + "?area=low-back")
    for model in (Condition, Treatment, Guide):
        urls += [a.get_absolute_url() for a in model.objects.published().in_language("es")]
    # The form as a condition's "Send us a message" opens it, with the condition chosen.
    if first := Condition.objects.published().in_language("es").order_by("pk").first():
        urls.append(f"{language.reverse_in('es', 'contact:form')}?condition={first.slug}")
    token = signing.Signer(salt="contact.thanks").sign("R-ABC234")
    urls.append(language.reverse_in("es", "contact:thanks", kwargs={"token": token}))
    # Search: results, and none (with its did-you-mean and ways on).
    search = language.reverse_in("es", "search:results")
    urls += [f"{search}?q=nervio+cluneal", f"{search}?q=crioablacon"]
    return [(url, 200) for url in urls] + [("/es/no-existe/", 404)]


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|<[^>]+>|\{\{[^}]*\}\}")


def catalogue_msgids():
    """Every English text in the catalogue (.po), translated or not, with its translation."""
    entries = CATALOGUE_PO.read_text().split("\n\n")
    found = {}
    for entry in entries:
        if "msgctxt" in entry:
            continue  # date formats
        match = re.search(
            r'^msgid ((?:".*"\n)+)msgstr((?:\[\d\])? (?:".*"\n?)+)', entry + "\n", re.M
        )
        if match:
            msgid = "".join(re.findall(r'"(.*)"', match.group(1))).replace('\\"', '"')
            found[msgid] = "".join(re.findall(r'"(.*)"', match.group(2)))
    return found


def english_phrases(min_words=2):
    """Every English text in the catalogue whose Spanish differs, cut at placeholders and
    tags, in pieces of at least `min_words` words."""
    phrases = set()
    for msgid, msgstr in catalogue_msgids().items():
        if not msgid or msgid == msgstr or "/" in msgid:
            continue
        for piece in PLACEHOLDER.split(msgid):
            piece = " ".join(piece.split()).strip(" .,:;")
            if len(piece.split()) >= min_words:
                phrases.add(piece)
    return phrases
