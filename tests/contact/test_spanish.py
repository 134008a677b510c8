"""The contact form in Spanish: Spanish labels and errors, the inquiry stored with its language,
the front desk's list showing and filtering it, and the staff email (in English) saying which
language to reply in, still without patient text."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, User
from django.core import mail
from django.urls import reverse

from conditions.models import Condition
from contact.models import Inquiry
from tests.contact.factories import InquiryFactory, form_post
from tests.factories import ConditionFactory, sign_in

pytestmark = pytest.mark.django_db

FORM_URL = "/es/contacto/"
PATIENT_TEXT = "Zanahoria Patientname"


def test_the_spanish_form_is_in_spanish(client):
    response = client.get(FORM_URL)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.html["lang"] == "es"
    assert page.title.get_text().startswith("Contáctenos")
    assert page.find("label", attrs={"for": "id_name"}).get_text(strip=True) == "Su nombre"
    form = page.select_one("main form")
    assert form.find("button", attrs={"type": "submit"}).get_text(strip=True) == "Enviar mensaje"
    assert form["action"] in ("", FORM_URL)
    assert not response.cookies.get("sessionid")


def test_a_spanish_inquiry_is_stored_in_spanish_and_thanked_in_spanish(client):
    response = client.post(FORM_URL, form_post(name=PATIENT_TEXT, message=PATIENT_TEXT))
    assert response.status_code == 302
    assert response["Location"].startswith("/es/contacto/gracias/")
    inquiry = Inquiry.objects.get()
    assert inquiry.language == "es"
    thanks = client.get(response["Location"])
    assert "Recibimos su mensaje" in thanks.content.decode()
    assert inquiry.reference in thanks.content.decode()


def test_the_staff_email_says_reply_in_spanish_and_stays_in_english(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(FORM_URL, form_post(name=PATIENT_TEXT, message=PATIENT_TEXT))
    (message,) = mail.outbox
    body = message.body + message.alternatives[0][0]
    assert "Reply in: Spanish" in message.body
    assert "Reply in</th><td>Spanish" in message.alternatives[0][0]
    assert "A new inquiry came in through the website." in body
    assert "New patient appointment" in message.subject
    assert PATIENT_TEXT not in body + message.subject


def test_an_english_inquiry_says_reply_in_english(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/contact/", form_post())
    assert Inquiry.objects.get().language == "en"
    assert "Reply in: English" in mail.outbox[0].body


def test_errors_are_in_spanish(client):
    response = client.post(FORM_URL, form_post(name="", email="not-an-address", consent=None))
    assert response.status_code == 200
    text = BeautifulSoup(response.content, "html.parser").get_text(" ")
    assert "Hay un problema" in text
    assert "Escriba su nombre." in text
    assert "Escriba un correo electrónico completo" in text
    assert "Marque la casilla para aceptar" in text
    assert "Enter your name" not in text


def test_the_spanish_form_offers_spanish_conditions_only(client):
    english = ConditionFactory(title="English condition", slug="shared-slug")
    spanish = ConditionFactory(
        title="Afección en español", slug="shared-slug", language="es", translation_of=english
    )
    page = BeautifulSoup(client.get(FORM_URL, {"condition": "shared-slug"}).content, "html.parser")
    options = page.find("select", attrs={"name": "condition"}).find_all("option")
    spanish_titles = set(
        Condition.objects.published().in_language("es").values_list("title", flat=True)
    )
    assert "Afección en español" in spanish_titles
    assert {o.get_text() for o in options[1:]} == spanish_titles
    assert page.find("option", selected=True)["value"] == str(spanish.pk)


@pytest.fixture
def front_desk(client):
    user = User.objects.create_user("desk", password=None, is_staff=True)
    user.groups.add(Group.objects.get(name="Front desk"))
    sign_in(client, user)
    return user


def test_the_front_desk_sees_and_filters_the_language(client, front_desk):
    spanish = InquiryFactory(language="es")
    english = InquiryFactory(language="en")
    changelist = reverse("admin:contact_inquiry_changelist")
    page = BeautifulSoup(client.get(changelist).content, "html.parser")
    languages = [td.get_text() for td in page.select("#result_list td.field-language")]
    assert sorted(languages) == ["English", "Spanish"]
    filtered = BeautifulSoup(client.get(changelist, {"language": "es"}).content, "html.parser")
    references = {a.get_text() for a in filtered.select("#result_list th.field-reference a")}
    assert references == {spanish.reference}
    assert english.reference not in references
    # The admin stays in English for staff.
    assert filtered.html["lang"].startswith("en")
