"""Races that only a real multi-connection database can show."""

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.concurrency import postgres_only, run_concurrently
from accounts.tests.helpers import PASSWORD


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
