"""Adding staff on one page: username, name, email, role, credentials for reviewers, password;
"Staff status" set by the role; the user list shows each one's role and whether their
authenticator app is set up. Credentials live on the staff profile, set by a superuser only."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from clinic_site.core.staff.models import StaffProfile
from tests.factories import AuthenticatorFactory, sign_in

pytestmark = pytest.mark.django_db

USERS = reverse("admin:auth_user_changelist")
ADD = reverse("admin:auth_user_add")
PASSWORD = "plum-orchard-lantern-47"


def group(name):
    return Group.objects.get(name=name)


def add_post(**overrides):
    data = {
        "username": "dreyes",
        "first_name": "Dana",
        "last_name": "Reyes",
        "email": "dana.reyes@example.com",
        "role": group("Medical reviewers").pk,
        "credentials": "MD, pain medicine",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def change_post(user, **overrides):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": "",
        "credentials": "",
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-12-01",
        "date_joined_1": "09:00:00",
    }
    data.update(overrides)
    return data


# The profile -----------------------------------------------------------------------------


def test_the_signature_is_the_full_name_then_the_credentials():
    user = User.objects.create_user("dreyes", first_name="Dana", last_name="Reyes")
    profile = StaffProfile.objects.create(user=user, credentials=" MD, pain medicine ")
    assert profile.signature == "Dana Reyes, MD, pain medicine"
    assert str(profile) == profile.signature
    assert user.staff_profile == profile


def test_without_credentials_or_a_name_the_signature_is_what_there_is():
    user = User.objects.create_user("dreyes")
    assert StaffProfile.objects.create(user=user).signature == "dreyes"
    user.first_name, user.last_name = "Dana", "Reyes"
    user.save()
    assert StaffProfile.objects.get(user=user).signature == "Dana Reyes"


def test_a_signature_for_a_user_without_a_profile_is_their_name():
    user = User.objects.create_user("dreyes", first_name="Dana", last_name="Reyes")
    assert StaffProfile.signature_for(user) == "Dana Reyes"
    StaffProfile.objects.create(user=user, credentials="MD")
    user.refresh_from_db()
    assert StaffProfile.signature_for(user) == "Dana Reyes, MD"


# Adding on one page ------------------------------------------------------------------------


def test_a_superuser_adds_a_reviewer_on_one_page(admin_client):
    form = BeautifulSoup(admin_client.get(ADD).content, "html.parser").select_one("form#user_form")
    names = {field["name"] for field in form.select("input, select") if field.get("name")}
    assert {"username", "first_name", "last_name", "email", "role", "credentials"} <= names
    assert {"password1", "password2"} <= names
    assert not {"is_staff", "groups", "user_permissions", "usable_password"} & names

    response = admin_client.post(ADD, add_post())
    assert response.status_code == 302 and response["Location"] == USERS  # no second page
    user = User.objects.get(username="dreyes")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.all()) == [group("Medical reviewers")]
    assert user.staff_profile.signature == "Dana Reyes, MD, pain medicine"
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize("role", ["Editors", "Front desk"])
def test_other_roles_are_staff_too_and_carry_no_credentials(admin_client, role):
    response = admin_client.post(ADD, add_post(role=group(role).pk, credentials=""))
    assert response.status_code == 302
    user = User.objects.get(username="dreyes")
    assert user.is_staff and list(user.groups.all()) == [group(role)]


def test_credentials_are_refused_for_a_role_that_signs_no_reviews(admin_client):
    response = admin_client.post(ADD, add_post(role=group("Editors").pk))
    assert response.status_code == 200
    assert "Only medical reviewers sign reviews" in response.content.decode()
    assert not User.objects.filter(username="dreyes").exists()


def test_a_role_is_needed_to_add_staff(admin_client):
    response = admin_client.post(ADD, add_post(role=""))
    assert response.status_code == 200 and not User.objects.filter(username="dreyes").exists()


def test_only_a_superuser_can_set_credentials(client):
    """Even a staff member given the permissions on users cannot sign for anybody."""
    manager = User.objects.create_user("manager", is_staff=True)
    manager.user_permissions.add(*Permission.objects.filter(codename__endswith="_user"))
    sign_in(client, manager)
    page = BeautifulSoup(client.get(ADD).content, "html.parser")
    assert page.find("input", attrs={"name": "credentials"}).has_attr("disabled")
    client.post(ADD, add_post(credentials="MD, everything"))
    user = User.objects.get(username="dreyes")
    assert not StaffProfile.objects.filter(user=user, credentials__contains="MD").exists()


# Changing --------------------------------------------------------------------------------


def test_changing_the_role_moves_staff_status_with_it(admin_client):
    user = User.objects.create_user("sam", first_name="Sam", email="sam@example.com")
    change = reverse("admin:auth_user_change", args=[user.pk])
    form = BeautifulSoup(admin_client.get(change).content, "html.parser")
    assert form.find(attrs={"name": "is_staff"}) is None
    response = admin_client.post(change, change_post(user, role=group("Front desk").pk))
    assert response.status_code == 302, response.content.decode()[:3000]
    user.refresh_from_db()
    assert user.is_staff and list(user.groups.all()) == [group("Front desk")]
    admin_client.post(change, change_post(user, role=""))
    user.refresh_from_db()
    assert not user.is_staff and not user.groups.exists()


def test_a_superuser_sets_a_reviewers_credentials_later(admin_client):
    user = User.objects.create_user("dreyes", first_name="Dana", last_name="Reyes", is_staff=True)
    user.groups.add(group("Medical reviewers"))
    change = reverse("admin:auth_user_change", args=[user.pk])
    admin_client.post(
        change,
        change_post(user, role=group("Medical reviewers").pk, credentials="DO, anesthesiology"),
    )
    assert StaffProfile.objects.get(user=user).signature == "Dana Reyes, DO, anesthesiology"
    page = BeautifulSoup(admin_client.get(change).content, "html.parser")
    assert page.find("input", attrs={"name": "credentials"})["value"] == "DO, anesthesiology"


# The list --------------------------------------------------------------------------------


def test_the_user_list_shows_each_role_and_the_authenticator(admin_client):
    reviewer = User.objects.create_user("dreyes", first_name="Dana", last_name="Reyes")
    reviewer.groups.add(group("Medical reviewers"))
    AuthenticatorFactory(user=reviewer)
    desk = User.objects.create_user("desk")
    desk.groups.add(group("Front desk"))
    page = BeautifulSoup(admin_client.get(USERS).content, "html.parser")
    headers = [th.get_text(strip=True).lower() for th in page.select("#result_list thead th")]
    assert "role" in headers and "authenticator app" in headers
    rows = {row.select_one("th a").text: row for row in page.select("#result_list tbody tr")}

    def cell(username, column):
        return rows[username].select_one(f"td.field-{column}")

    assert cell("dreyes", "role").get_text() == "Medical reviewers"
    assert cell("dreyes", "full_name").get_text() == "Dana Reyes"
    assert cell("dreyes", "has_second_factor").img["alt"] == "True"
    assert cell("desk", "role").get_text() == "Front desk"
    assert cell("desk", "has_second_factor").img["alt"] == "False"
    assert cell("admin", "role").get_text() == "Superuser"


def test_the_user_list_costs_the_same_queries_for_many_staff(
    admin_client, django_assert_max_num_queries
):
    for number in range(25):
        user = User.objects.create_user(f"staff{number}")
        user.groups.add(group("Editors"))
        AuthenticatorFactory(user=user)
    # Sign-in (3), the groups for the filter, counts (2), the clinic's details, the users with
    # their authenticator, their groups in one, the session (and savepoints): none per user.
    with django_assert_max_num_queries(12):
        assert admin_client.get(USERS).status_code == 200


def test_the_add_page_costs_a_few_queries(admin_client, django_assert_max_num_queries):
    # Sign-in (3), the clinic's details, the content type, the roles for the form (twice),
    # the session.
    with django_assert_max_num_queries(10):
        assert admin_client.get(ADD).status_code == 200
