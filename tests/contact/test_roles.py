"""The "Front desk" role works inquiries and nothing else; "Editors" never see inquiries."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from contact.models import Inquiry
from tests.contact.factories import InquiryFactory
from tests.factories import ConditionFactory, sign_in

pytestmark = pytest.mark.django_db

INQUIRIES = reverse("admin:contact_inquiry_changelist")
CONDITIONS = reverse("admin:conditions_condition_changelist")


def staff(client, *groups):
    user = User.objects.create_user("-".join(groups) or "nobody", password=None, is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=groups))
    sign_in(client, user)
    return user


def test_the_front_desk_group_can_view_and_change_inquiries_only():
    group = Group.objects.get(name="Front desk")
    codenames = {(p.content_type.app_label, p.codename) for p in group.permissions.all()}
    assert ("contact", "view_inquiry") in codenames
    assert ("contact", "change_inquiry") in codenames
    assert ("contact", "delete_inquiry") not in codenames
    assert ("contact", "add_inquiry") not in codenames
    assert not {label for label, _codename in codenames} - {"contact"}


def test_the_front_desk_works_inquiries_but_cannot_delete_them(client):
    user = staff(client, "Front desk")
    inquiry = InquiryFactory()
    assert client.get(INQUIRIES).status_code == 200
    change = reverse("admin:contact_inquiry_change", args=[inquiry.pk])
    assert client.get(change).status_code == 200
    delete = reverse("admin:contact_inquiry_delete", args=[inquiry.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Inquiry.objects.filter(pk=inquiry.pk).exists()
    assert user.has_perm("contact.change_inquiry") and not user.has_perm("contact.delete_inquiry")


def test_the_front_desk_cannot_touch_articles(client):
    user = staff(client, "Front desk")
    condition = ConditionFactory()
    assert client.get(CONDITIONS).status_code == 403
    change = reverse("admin:conditions_condition_change", args=[condition.pk])
    assert client.get(change).status_code == 403
    assert not any(perm.startswith("conditions.") for perm in user.get_all_permissions())


def test_editors_have_no_access_to_inquiries(client):
    if not Group.objects.filter(name="Editors").exists():
        pytest.skip("the Editors group comes from the conditions migrations")
    user = staff(client, "Editors")
    inquiry = InquiryFactory()
    assert client.get(CONDITIONS).status_code == 200  # their own work
    assert client.get(INQUIRIES).status_code == 403
    change = reverse("admin:contact_inquiry_change", args=[inquiry.pk])
    assert client.get(change).status_code == 403
    assert not any(perm.startswith("contact.") for perm in user.get_all_permissions())
    index = client.get(reverse("admin:index")).content.decode()
    assert "Inquiries" not in index


def test_a_user_with_every_article_permission_still_cannot_reach_inquiries(client):
    user = staff(client)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="conditions"))
    inquiry = InquiryFactory()
    assert client.get(INQUIRIES).status_code == 403
    history = reverse("admin:contact_inquiry_history", args=[inquiry.pk])
    assert client.get(history).status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(INQUIRIES)
    assert response.status_code == 302 and "login" in response["Location"]


def test_every_change_is_kept_in_the_audit_history(client):
    user = staff(client, "Front desk")
    inquiry = InquiryFactory()
    change = reverse("admin:contact_inquiry_change", args=[inquiry.pk])
    client.post(change, {"status": "in_progress", "handled_by": "", "new_note": "First"})
    client.post(change, {"status": "closed", "handled_by": user.pk, "new_note": "Done"})
    records = list(inquiry.history.order_by("history_date"))
    assert [(r.history_type, r.status) for r in records] == [
        ("+", "new"),
        ("~", "in_progress"),
        ("~", "closed"),
    ]
    assert [r.history_user for r in records[1:]] == [user, user]
    diff = records[2].diff_against(records[1])
    assert {change.field for change in diff.changes} >= {"status", "handled_by"}
    # Notes are a log: each entry kept, with its author.
    assert [(n.text, n.author) for n in inquiry.notes.all()] == [("First", user), ("Done", user)]
