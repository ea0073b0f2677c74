"""Concurrent callbacks on PostgreSQL: one user and one link per provider account, whatever
the interleaving, and never a lookup by email as the way out of a conflict."""

import threading
from functools import partial

import pytest
from rest_framework.test import APIClient

from accounts.models import AuthSession, OAuthAccount, User
from accounts.tests.concurrency import postgres_only, run_concurrently
from accounts.tests.helpers import FRONTEND, callback
from accounts.tests.providers import Identity

pytestmark = [pytest.mark.django_db(transaction=True), postgres_only]


def started_flow(consent, provider: str, identity: Identity) -> tuple[APIClient, str, dict]:
    client = APIClient()
    return client, provider, consent(client, provider, identity)


def race(flows) -> list:
    """Run the callbacks at once; the fakes hold each at the profile request until all arrive."""
    return run_concurrently(*(partial(callback, c, p, **params) for c, p, params in flows))


def test_concurrent_callbacks_of_one_new_account_create_one_user_and_one_link(consent, google):
    identity = Identity(uid="race-1", email="race@example.com")
    flows = [started_flow(consent, "google", identity) for _ in range(2)]
    google.barrier = threading.Barrier(2)

    results = race(flows)

    assert sorted(r["Location"] for r in results) == [FRONTEND, f"{FRONTEND}/?new_user=1"]
    user = User.objects.get()
    assert OAuthAccount.objects.get().user == user
    assert AuthSession.objects.filter(user=user).count() == 2


def test_concurrent_callbacks_of_one_new_email_create_one_user(consent, google, github):
    flows = [
        started_flow(consent, "google", Identity(uid="g-9", email="same@example.com")),
        started_flow(consent, "github", Identity(uid="99", email="same@example.com")),
    ]
    barrier = threading.Barrier(2)
    google.barrier = github.barrier = barrier

    results = race(flows)

    assert all(r.status_code == 302 and "/login" not in r["Location"] for r in results)
    user = User.objects.get()
    links = OAuthAccount.objects.order_by("provider")
    assert [(a.provider, a.user_id) for a in links] == [("github", user.pk), ("google", user.pk)]
