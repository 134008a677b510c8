"""Error reports about requests that handle inquiries carry no patient text."""

import sys

import pytest
from django.test import RequestFactory
from django.urls import resolve
from django.views.debug import ExceptionReporter

from contact.views import InquiryFormView
from tests.contact.factories import form_post

# Built at run time: the report quotes source lines, and this file's must not match.
SECRET = "-".join(["Zebra", "Quokka", "Secret"])


def report_for(request, patient_text):
    def clean_something(value):
        raise ValueError("boom")

    try:
        clean_something(patient_text)
    except ValueError:
        reporter = ExceptionReporter(request, *sys.exc_info())
    return reporter.get_traceback_text() + reporter.get_traceback_html()


def test_a_crash_in_the_contact_form_reports_no_patient_text():
    request = RequestFactory().post("/contact/", form_post(name=SECRET, message=SECRET))
    request.resolver_match = resolve("/contact/")
    report = report_for(request, SECRET)
    assert "boom" in report
    assert SECRET not in report


@pytest.mark.django_db
def test_a_crash_while_the_view_runs_reports_no_patient_text(monkeypatch, rf):
    def explode(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("contact.views.submit_inquiry", explode)
    request = rf.post("/contact/", form_post(name=SECRET, message=SECRET))
    request.resolver_match = resolve("/contact/")
    request.session = {}
    try:
        InquiryFormView.as_view()(request)
    except RuntimeError:
        reporter = ExceptionReporter(request, *sys.exc_info())
    report = reporter.get_traceback_text() + reporter.get_traceback_html()
    assert "database went away" in report
    assert SECRET not in report


def test_a_crash_in_the_inquiry_admin_reports_no_patient_text():
    request = RequestFactory().post("/admin/contact/inquiry/1/change/", {"new_note": SECRET})
    request.resolver_match = resolve("/admin/contact/inquiry/1/change/")
    assert SECRET not in report_for(request, SECRET)


def test_other_pages_are_reported_as_usual():
    request = RequestFactory().get("/conditions/")
    request.resolver_match = resolve("/conditions/")
    assert "not-patient-text" in report_for(request, "not-patient-text")
