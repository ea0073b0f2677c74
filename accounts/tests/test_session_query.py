"""The session lookup's hand-written statement returns exactly what the ORM query would."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.digests import keyed_digest
from accounts.models import AuthSession
from accounts.sessions import _select_session_with_user, session_create
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def orm_lookup(digests: list[str]) -> AuthSession | None:
    """The ORM query that _SessionQuery replaces on the hot path."""
    return AuthSession.objects.select_related("user").filter(token_hash__in=digests).first()


def field_values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


@pytest.mark.parametrize("with_request_data", [True, False])
def test_hand_written_lookup_matches_the_orm(rf, with_request_data):
    user = UserFactory(name="Ann", email_verified_at=timezone.now() - timedelta(days=2))
    request = rf.get("/", HTTP_USER_AGENT="UA/1", REMOTE_ADDR="2001:db8::1")
    session, token = session_create(user=user, request=request if with_request_data else None)
    AuthSession.objects.filter(pk=session.pk).update(revoked=True)
    digests = [keyed_digest(token, settings.AUTH_SESSION_SECRET), "0" * 64]

    ours, orm = _select_session_with_user(digests), orm_lookup(digests)

    assert field_values(ours) == field_values(orm)
    assert field_values(ours.user) == field_values(orm.user)
    for mine, theirs in [(ours, orm), (ours.user, orm.user)]:
        assert {k: type(v) for k, v in field_values(mine).items()} == {
            k: type(v) for k, v in field_values(theirs).items()
        }
        # Equal instants in the same zone (PostgreSQL's binary rows are parsed by psycopg).
        assert {k: v.tzinfo for k, v in field_values(mine).items() if hasattr(v, "tzinfo")} == {
            k: v.tzinfo for k, v in field_values(theirs).items() if hasattr(v, "tzinfo")
        }
    assert not ours._state.adding and ours._state.db == orm._state.db


def test_unknown_digest_finds_nothing_either_way():
    assert _select_session_with_user(["f" * 64]) is None
    assert orm_lookup(["f" * 64]) is None
