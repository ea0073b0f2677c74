"""Concurrent callbacks on PostgreSQL: one user and one link per provider account, whatever
the interleaving, and never a lookup by email as the way out of a conflict."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from accounts.models import AuthSession, OAuthAccount, User
from accounts.tests.helpers import FRONTEND, begin, callback
from accounts.tests.providers import Identity

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent transactions: run with DATABASE_URL=postgres://...",
    ),
]


def started_flow(fakes, provider: str, identity: Identity) -> tuple[APIClient, str, dict]:
    client = APIClient()
    params = fakes[provider].authorize(begin(client, provider)["Location"], identity)
    return client, provider, params


def race(flows) -> list:
    """Run the callbacks at once; the fakes hold each at the profile request until all arrive."""

    def finish(flow):
        client, provider, params = flow
        try:
            return callback(client, provider, **params)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(len(flows)) as pool:
        return list(pool.map(finish, flows))


def test_concurrent_callbacks_of_one_new_account_create_one_user_and_one_link(fakes, google):
    identity = Identity(uid="race-1", email="race@example.com")
    flows = [started_flow(fakes, "google", identity) for _ in range(2)]
    google.barrier = threading.Barrier(2)

    results = race(flows)

    assert sorted(r["Location"] for r in results) == [FRONTEND, f"{FRONTEND}/?new_user=1"]
    user = User.objects.get()
    assert OAuthAccount.objects.get().user == user
    assert AuthSession.objects.filter(user=user).count() == 2


def test_concurrent_callbacks_of_one_new_email_create_one_user(fakes, google, github):
    flows = [
        started_flow(fakes, "google", Identity(uid="g-9", email="same@example.com")),
        started_flow(fakes, "github", Identity(uid="99", email="same@example.com")),
    ]
    barrier = threading.Barrier(2)
    google.barrier = github.barrier = barrier

    results = race(flows)

    assert all(r.status_code == 302 and "/login" not in r["Location"] for r in results)
    user = User.objects.get()
    links = OAuthAccount.objects.order_by("provider")
    assert [(a.provider, a.user_id) for a in links] == [("github", user.pk), ("google", user.pk)]
