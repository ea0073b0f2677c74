"""The token service under concurrency; the flows' token failures are tested with each flow."""

import threading

import pytest
from django.db import connection, connections, transaction

from accounts.link_tokens import (
    LinkInvalid,
    link_token_consume,
    link_token_issue,
)
from accounts.models import VerificationToken
from accounts.tests.factories import UserFactory

Purpose = VerificationToken.Purpose


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's row locks: run with DATABASE_URL"
)
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_uses_of_one_token_at_most_one_succeeds():
    user = UserFactory()
    _, token = link_token_issue(user=user, purpose=Purpose.RESET_PASSWORD)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def use() -> None:
        try:
            with transaction.atomic():
                barrier.wait()
                link_token_consume(token=token, purposes=[Purpose.RESET_PASSWORD])
                outcomes.append("ok")
        except LinkInvalid:
            outcomes.append("invalid")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=use) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["invalid", "ok"]


@pytest.mark.django_db
def test_only_the_digest_is_stored():
    row, token = link_token_issue(user=UserFactory(), purpose=Purpose.VERIFY_EMAIL)
    stored = VerificationToken.objects.filter(token_hash=token).exists()
    assert not stored and len(row.token_hash) == 64 and token not in row.token_hash


@pytest.mark.django_db
def test_tokens_of_other_purposes_survive_a_new_one():
    user = UserFactory()
    link_token_issue(user=user, purpose=Purpose.VERIFY_EMAIL)
    link_token_issue(user=user, purpose=Purpose.RESET_PASSWORD)
    link_token_issue(user=user, purpose=Purpose.RESET_PASSWORD)
    assert sorted(VerificationToken.objects.values_list("purpose", flat=True)) == [
        "reset_password",
        "verify_email",
    ]


@pytest.mark.django_db
def test_a_token_is_bound_to_its_user():
    alice, bob = UserFactory(), UserFactory()
    _, token = link_token_issue(user=alice, purpose=Purpose.VERIFY_EMAIL)
    link_token_issue(user=bob, purpose=Purpose.VERIFY_EMAIL)
    row = link_token_consume(token=token, purposes=[Purpose.VERIFY_EMAIL])
    assert row.user == alice
