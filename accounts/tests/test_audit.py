import json
import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.audit import audit_record
from accounts.models import AuthEvent, AuthSession, User
from accounts.sessions import session_revoke, sessions_revoke_all
from accounts.tests.factories import AuthSessionFactory, UserFactory
from accounts.tests.helpers import PASSWORD, event_types

EVENTS = "/api/auth/events"

pytestmark = pytest.mark.django_db


def test_sign_in_and_failures_are_recorded_with_ip_and_user_agent(api, user):
    api.post("/api/auth/login", {"email": user.email, "password": "wrong"}, HTTP_USER_AGENT="UA/1")
    api.post("/api/auth/login", {"email": "ghost@example.com", "password": "x"})
    api.post("/api/auth/login", {"email": user.email, "password": PASSWORD}, HTTP_USER_AGENT="UA/2")
    failed, unknown, signed_in = AuthEvent.objects.order_by("id")
    assert (failed.type, failed.user, failed.detail) == (
        "sign_in_failed",
        user,
        {"reason": "wrong_password", "method": "password"},
    )
    assert (failed.ip_address, failed.user_agent) == ("127.0.0.1", "UA/1")
    assert (unknown.user, unknown.email, unknown.detail) == (
        None,
        "ghost@example.com",
        {"reason": "unknown_email", "method": "password"},
    )
    assert signed_in.type == "signed_in" and signed_in.user_agent == "UA/2"
    session = AuthSession.objects.get()
    assert signed_in.detail == {"session_id": str(session.pk), "method": "password"}


def test_password_never_reaches_the_trail_or_the_log(api, user, caplog):
    with caplog.at_level(logging.INFO, logger="accounts.audit"):
        api.post("/api/auth/login", {"email": user.email, "password": "hunter2-secret"})
    assert "hunter2-secret" not in json.dumps(list(AuthEvent.objects.values("detail")))
    audit = [r for r in caplog.records if r.name == "accounts.audit"]
    line = json.loads(audit[-1].getMessage())
    assert line["event"] == "sign_in_failed" and line["reason"] == "wrong_password"
    assert "hunter2-secret" not in caplog.text


def test_logout_is_a_sign_out(api, user):
    token = api.post(
        "/api/auth/login", {"email": user.email, "password": PASSWORD, "transport": "token"}
    ).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.post("/api/auth/logout").status_code == 204
    assert event_types(user) == ["signed_in", "signed_out"]


def test_revocations_say_by_whom(signed_in):
    user = signed_in.user
    other = AuthSessionFactory(user=user)
    signed_in.delete(f"/api/auth/sessions/{other.pk}")
    signed_in.post("/api/auth/sessions/revoke-others")
    session_revoke(session=AuthSessionFactory(user=user), actor="admin")
    AuthSessionFactory(user=user)
    sessions_revoke_all()
    revoked = AuthEvent.objects.filter(type="session_revoked").order_by("id")
    assert [e.detail["by"] for e in revoked] == ["user", "admin", "command"]
    assert revoked[0].detail["session_id"] == str(other.pk)


def test_registration_is_recorded_and_signs_in_through_the_sign_in_service(api, db):
    api.post("/api/auth/register", {"email": "new@example.com", "password": PASSWORD})
    assert event_types(email="new@example.com") == ["registered", "signed_in"]
    user = User.objects.get(email="new@example.com")
    session = AuthSession.objects.get(user=user)
    signed_in = AuthEvent.objects.get(type="signed_in", user=user)
    assert signed_in.detail == {"session_id": str(session.pk), "method": "registration"}
    assert user.last_login is not None


def test_events_lists_the_users_own_newest_first(signed_in):
    user = signed_in.user
    for kind in ("registered", "signed_in", "password_changed"):
        audit_record(kind, user=user)
    audit_record("signed_in", user=UserFactory())
    response = signed_in.get(EVENTS)
    assert response.status_code == 200
    events = response.json()["events"]
    assert [e["type"] for e in events] == ["password_changed", "signed_in", "registered"]
    assert set(events[0]) == {"type", "created_at", "ip_address", "user_agent", "detail"}


def test_events_limit(signed_in):
    for _ in range(30):
        audit_record("signed_in", user=signed_in.user)
    assert len(signed_in.get(EVENTS).json()["events"]) == 20
    assert len(signed_in.get(EVENTS, {"limit": 5}).json()["events"]) == 5
    assert signed_in.get(EVENTS, {"limit": 1000}).status_code == 400


def test_events_need_a_session(api, db):
    assert api.get(EVENTS).status_code == 401


def test_purge_auth_events_deletes_only_old_ones(user, capsys):
    old = audit_record("signed_in", user=user)
    AuthEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    recent = audit_record("signed_in", user=user)
    call_command("purge_auth_events", "--older-than", "30")
    assert list(AuthEvent.objects.values_list("pk", flat=True)) == [recent.pk]
    assert "Deleted 1 audit event" in capsys.readouterr().out


def test_admin_lists_and_filters_events_but_cannot_change_them(admin_client, user):
    event = audit_record("sign_in_failed", user=user, reason="wrong_password")
    listing = admin_client.get("/admin/accounts/authevent/?type=sign_in_failed")
    assert listing.status_code == 200
    assert user.email in listing.content.decode()
    assert admin_client.get("/admin/accounts/authevent/add/").status_code == 403
    detail = admin_client.get(f"/admin/accounts/authevent/{event.pk}/change/")
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    delete = admin_client.post(f"/admin/accounts/authevent/{event.pk}/delete/")
    assert delete.status_code == 403
    assert AuthEvent.objects.filter(pk=event.pk).exists()
