"""Operating sessions: the Django admin and the management commands."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import AuthSession
from accounts.tests.factories import AuthSessionFactory, OAuthAccountFactory, UserFactory

pytestmark = pytest.mark.django_db


def command(*args, stdin: str | None = None) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_revoke_sessions_of_one_user(user):
    AuthSessionFactory.create_batch(2, user=user)
    untouched = AuthSessionFactory()
    assert command("revoke_sessions", "--user", user.email.upper()) == "Revoked 2 session(s).\n"
    assert not AuthSession.objects.get(pk=untouched.pk).revoked


def test_revoke_one_session(user):
    session = AuthSessionFactory(user=user)
    assert "Revoked 1" in command("revoke_sessions", "--session", str(session.pk))
    assert AuthSession.objects.get(pk=session.pk).revoked


def test_revoke_unknown_targets_fail_clearly(db):
    with pytest.raises(CommandError, match="No user"):
        command("revoke_sessions", "--user", "nobody@example.com")
    with pytest.raises(CommandError, match="No session"):
        command("revoke_sessions", "--session", "not-a-uuid")


def test_revoke_all_asks_for_confirmation(user, monkeypatch):
    AuthSessionFactory(user=user)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    with pytest.raises(CommandError, match="Aborted"):
        command("revoke_sessions", "--all")
    assert not AuthSession.objects.filter(revoked=True).exists()

    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    assert "Revoked 1" in command("revoke_sessions", "--all")


def test_revoke_all_with_yes_does_not_ask(user, monkeypatch):
    AuthSessionFactory(user=user)
    monkeypatch.setattr("builtins.input", lambda prompt: pytest.fail("asked"))
    assert "Revoked 1" in command("revoke_sessions", "--all", "--yes")


def test_purge_sessions_deletes_dead_rows_only(user):
    live = AuthSessionFactory(user=user)
    AuthSessionFactory(user=user, revoked=True)
    AuthSessionFactory(user=user, expires_at=timezone.now())
    AuthSessionFactory(user=user, last_used_at=timezone.now() - timedelta(days=40))

    assert command("purge_sessions", "--batch-size", "1") == "Deleted 3 session(s).\n"
    assert list(AuthSession.objects.all()) == [live]


def test_purge_sessions_older_than_keeps_recent_dead_rows(user):
    recent = AuthSessionFactory(user=user, revoked=True)
    assert "Deleted 0" in command("purge_sessions", "--older-than", "7")
    assert AuthSession.objects.filter(pk=recent.pk).exists()


def test_admin_user_page_hides_token_hashes_and_oauth_tokens(admin_client, user):
    session = AuthSessionFactory(user=user)
    OAuthAccountFactory(user=user, provider_account_id="g-1", access_token="ya29.secret")
    page = admin_client.get(f"/admin/accounts/user/{user.pk}/change/").content.decode()
    assert user.email in page and "g-1" in page
    assert session.token_hash not in page
    assert "ya29.secret" not in page


def test_admin_user_search_and_filters(admin_client, user):
    response = admin_client.get("/admin/accounts/user/", {"q": user.email})
    assert user.email in response.content.decode()
    assert admin_client.get("/admin/accounts/user/", {"is_active__exact": "1"}).status_code == 200


def test_admin_user_list_filters_staff(admin_client, user):
    staff = UserFactory(staff=True)
    page = admin_client.get("/admin/accounts/user/", {"is_staff__exact": "1"}).content.decode()
    assert staff.email in page and user.email not in page


def test_admin_action_revokes_all_sessions_of_users(admin_client, user):
    AuthSessionFactory.create_batch(2, user=user)
    response = admin_client.post(
        "/admin/accounts/user/",
        {"action": "revoke_all_sessions", "_selected_action": [str(user.pk)]},
        follow=True,
    )
    assert "Revoked 2 session(s)." in response.content.decode()
    assert not AuthSession.objects.filter(user=user, revoked=False).exists()


def test_admin_sessions_state_filter_and_revoke(admin_client, user):
    active = AuthSessionFactory(user=user)
    revoked = AuthSessionFactory(user=user, revoked=True)

    page = admin_client.get("/admin/accounts/authsession/", {"state": "active"}).content.decode()
    assert str(active.pk) in page and str(revoked.pk) not in page
    page = admin_client.get("/admin/accounts/authsession/", {"state": "revoked"}).content.decode()
    assert str(revoked.pk) in page and str(active.pk) not in page

    admin_client.post(
        "/admin/accounts/authsession/",
        {"action": "revoke", "_selected_action": [str(active.pk)]},
    )
    assert AuthSession.objects.get(pk=active.pk).revoked


def test_admin_can_add_a_user_by_email(admin_client):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "New@Example.com",
            "password1": "a fine password 1",
            "password2": "a fine password 1",
        },
    )
    assert response.status_code == 302
    from accounts.models import User

    assert User.objects.get(email="new@example.com").check_password("a fine password 1")


def test_admin_setting_a_password_signs_the_user_out_and_kills_reset_links(admin_client, user):
    """An operator replacing a compromised password must end the intruder's sessions too."""
    from accounts.link_tokens import link_token_issue
    from accounts.models import VerificationToken

    AuthSessionFactory(user=user)
    link_token_issue(user=user, purpose=VerificationToken.Purpose.RESET_PASSWORD)
    response = admin_client.post(
        f"/admin/accounts/user/{user.pk}/password/",
        {
            "password1": "a fine password 1",
            "password2": "a fine password 1",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a fine password 1")
    assert not AuthSession.objects.filter(user=user, revoked=False).exists()
    assert not VerificationToken.objects.filter(user=user, used_at=None).exists()


def test_changepassword_command_ends_the_users_sessions(user, monkeypatch):
    from django.contrib.auth.management.commands import changepassword

    from accounts.models import AuthEvent

    AuthSessionFactory(user=user)
    monkeypatch.setattr(
        changepassword.Command, "_get_pass", lambda self, prompt="": "brand new pass 42"
    )

    out = command("changepassword", user.email.upper())

    assert "Revoked 1 session(s)." in out
    user.refresh_from_db()
    assert user.check_password("brand new pass 42")
    assert not AuthSession.objects.filter(user=user, revoked=False).exists()
    assert AuthEvent.objects.get(type="password_changed").detail["by"] == "command"
