"""The Spanish edition in Chromium: every Spanish page at a phone's and a desktop's width passes
axe-core, is marked Spanish, sets no cookie and fetches nothing from another host; and a patient
writes through the Spanish contact form from start to finish."""

import re

from django.core import mail
from playwright.sync_api import expect

from contact.models import Inquiry
from tests.browser.viewports import PHONE
from tests.spanish import spanish_pages, spanish_rows


def test_every_spanish_page_passes_axe_at_both_widths_sets_no_cookie_and_stays_on_the_host(
    site, new_context, axe, request_log
):
    spanish_rows()
    context = new_context(viewport=PHONE)
    page = context.new_page()
    for url, status in spanish_pages():
        response = page.goto(url)
        assert response.status == status, url
        assert page.locator("html").get_attribute("lang") == "es", url
        axe.check_widths(page)
        if "/contacto/" not in url:  # the form's CSRF cookie, as in English
            assert context.cookies() == [], url
        context.clear_cookies()
    request_log.assert_same_host()


def test_a_reader_switches_between_english_and_spanish(site, new_context):
    rows = spanish_rows()
    condition = rows["condition"]
    page = new_context(viewport=PHONE).new_page()
    page.goto(condition.translation_of.get_absolute_url())
    page.get_by_role("link", name="Español").click()
    expect(page).to_have_url(re.compile(re.escape(condition.get_absolute_url()) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(condition.title)
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(
        re.compile(re.escape(condition.translation_of.get_absolute_url()) + "$")
    )


def test_a_patient_writes_through_the_spanish_form(site, page, axe, settings):
    settings.CONTACT_MIN_SECONDS = 0  # no wait: the minimum time is tested without a browser
    mail.outbox = []
    page.goto("/es/contacto/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contáctenos")
    page.get_by_role("button", name="Enviar mensaje").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    problems = [t.strip() for t in summary.locator("li").all_inner_texts()]
    assert "Escriba su nombre." in problems
    assert "Marque la casilla para aceptar, así podemos guardar su mensaje." in problems
    axe.check(page)

    page.get_by_label("Su nombre").fill("Paciente de Prueba")
    page.get_by_label("Correo electrónico").first.fill("paciente@example.com")
    page.get_by_role("group", name="¿Cómo prefiere que le contactemos?").get_by_label(
        "Llamada"
    ).check()
    page.get_by_label("Número de teléfono").fill("574-555-0123")
    page.get_by_role("group", name="¿De qué trata su mensaje?").get_by_label(
        "Cita para paciente nuevo"
    ).check()
    page.get_by_label("Su mensaje").fill("Quisiera una cita, por favor.")
    page.get_by_label(re.compile("Acepto que Cutting Edge Pain")).check()
    page.get_by_role("button", name="Enviar mensaje").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Recibimos su mensaje")
    expect(page).to_have_url(re.compile(r"/es/contacto/gracias/"))
    assert page.locator("html").get_attribute("lang") == "es"
    axe.check(page)
    reference = page.locator(".app-panel__reference").inner_text()
    inquiry = Inquiry.objects.get(reference=reference)
    assert inquiry.language == "es"
    (message,) = [m for m in mail.outbox if reference in m.subject]
    assert "Reply in: Spanish" in message.body
    assert "Quisiera una cita" not in message.body and "Paciente de Prueba" not in message.body
