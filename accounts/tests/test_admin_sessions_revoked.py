"""Revoking all of a user's sessions ends their Django admin session (`sessionid`) too: a
stolen admin session must not outlive "sign me out everywhere"."""

from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client

from accounts.tests.factories import UserFactory
from accounts.tests.helpers import client_of

pytestmark = pytest.mark.django_db


def admin_browser(user) -> Client:
    """A browser signed in to the admin as `user`."""
    browser = Client()
    browser.force_login(user)
    assert browser.get("/admin/").status_code == 200
    return browser


def signed_out_of_admin(browser: Client) -> bool:
    response = browser.get("/admin/")
    return response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.fixture
def stolen(admin_client) -> Client:
    """`admin_user`'s admin session, in a thief's hands."""
    assert admin_client.get("/admin/").status_code == 200
    return admin_client


@pytest.mark.parametrize("route", ["revoke-all", "revoke-others"])
def test_revoking_from_the_api_ends_the_admin_session(admin_user, stolen, route):
    bystander = admin_browser(UserFactory(superuser=True))

    assert client_of(admin_user).post(f"/api/auth/sessions/{route}").status_code == 200

    assert signed_out_of_admin(stolen)
    assert not signed_out_of_admin(bystander)


def test_the_admin_action_ends_the_users_admin_session(admin_client):
    staff = UserFactory(superuser=True)
    stolen = admin_browser(staff)
    assert admin_client.get("/admin/").status_code == 200

    response = admin_client.post(
        "/admin/accounts/user/",
        {"action": "revoke_all_sessions", "_selected_action": [str(staff.pk)]},
    )

    assert response.status_code == 302
    assert signed_out_of_admin(stolen)
    assert not signed_out_of_admin(admin_client)


def test_the_command_ends_admin_sessions(admin_user, stolen):
    other = admin_browser(UserFactory(superuser=True))

    call_command("revoke_sessions", "--user", admin_user.email, stdout=StringIO())
    assert signed_out_of_admin(stolen)
    assert not signed_out_of_admin(other)

    call_command("revoke_sessions", "--all", "--yes", stdout=StringIO())
    assert signed_out_of_admin(other)


def test_anonymous_django_sessions_are_left_alone():
    """Social sign-in keeps its state in a Django session before anyone is signed in."""
    anonymous = Client()
    session = anonymous.session
    session["state"] = "in flight"
    session.save()
    call_command("revoke_sessions", "--all", "--yes", stdout=StringIO())
    assert Session.objects.filter(pk=session.session_key).exists()
