"""Races that only a real multi-connection database can show."""

import threading

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.helpers import PASSWORD

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)"
)


def run_concurrently(*calls):
    """Start the calls together, each on its own thread and database connection."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            results[index] = call()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_in_different_case_create_one_user():
    def register(email, n):
        # One address each: six sign-ups from one IP would meet the 5/hour register limit.
        return lambda: APIClient(REMOTE_ADDR=f"10.0.0.{n}").post(
            "/api/auth/register", {"email": email, "password": PASSWORD}, format="json"
        )

    emails = ["Race@Example.com", "race@example.COM"] * 3
    responses = run_concurrently(*(register(e, n) for n, e in enumerate(emails)))

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 409, 409, 409, 409, 409]
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"email_taken"}
    assert User.objects.filter(email="race@example.com").count() == 1
