"""An operator changing an address in the admin goes through the change-of-address service:
stored as sign-in looks it up, unique in any case, old links dead, the old address told."""

import pytest
from django.contrib.admin.helpers import AdminForm

from accounts.models import User
from accounts.tests.factories import UserFactory
from accounts.tests.helpers import PASSWORD, event_types, token_from

pytestmark = pytest.mark.django_db


def change_form_data(client, user: User) -> dict:
    """What the browser would post back unchanged: the form's fields and the inlines'
    management forms."""
    page = client.get(f"/admin/accounts/user/{user.pk}/change/")
    form = next(c for c in page.context if "adminform" in c)["adminform"]
    assert isinstance(form, AdminForm)
    data = {}
    for name, field in form.form.fields.items():
        value = form.form.initial.get(name, field.initial)
        if value is None or name == "password":
            continue
        if isinstance(value, list):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management.initial.get(name, 0)
    return data


def admin_change_email(client, commit, user: User, new_email: str):
    data = {**change_form_data(client, user), "email": new_email}
    return commit(client.post, f"/admin/accounts/user/{user.pk}/change/", data)


def test_the_owner_signs_in_with_the_address_as_the_operator_typed_it(
    admin_client, api, commit, outbox, user
):
    old = user.email
    commit(api.post, "/api/auth/password/forgot", {"email": old})
    old_reset_link = token_from(outbox[-1])

    response = admin_change_email(admin_client, commit, user, "New.Owner@Example.COM")

    assert response.status_code == 302, response.content
    assert User.objects.get(pk=user.pk).email == "new.owner@example.com"
    signed_in = api.post(
        "/api/auth/login", {"email": "New.Owner@Example.COM", "password": PASSWORD}
    )
    assert signed_in.status_code == 200
    dead = api.post(
        "/api/auth/password/reset", {"token": old_reset_link, "new_password": "taken over 12345"}
    )
    assert (dead.status_code, dead.json()["code"]) == (400, "invalid_token")
    notice = next(m for m in outbox if m.to == [old] and "was changed" in m.subject)
    assert "new.owner@example.com" in notice.body and "?token=" in notice.body
    assert "email_changed" in event_types(user)


def test_an_address_taken_in_another_case_is_refused(admin_client, commit, outbox, user):
    UserFactory(email="taken@example.com")
    response = admin_change_email(admin_client, commit, user, "Taken@Example.com")
    assert response.status_code == 200  # the form again, with the error
    assert b"Another account has this email address" in response.content
    assert User.objects.get(pk=user.pk).email == user.email


def test_other_edits_leave_the_address_and_its_links_alone(admin_client, commit, outbox, user):
    data = {**change_form_data(admin_client, user), "name": "Renamed"}
    response = commit(admin_client.post, f"/admin/accounts/user/{user.pk}/change/", data)
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).name == "Renamed"
    assert "email_changed" not in event_types(user)
    assert outbox == []
