"""The token service under concurrency; the flows' token failures are tested with each flow."""

import pytest
from django.db import transaction

from accounts.link_tokens import (
    LinkInvalid,
    link_token_consume,
    link_token_issue,
)
from accounts.models import VerificationToken
from accounts.tests.concurrency import postgres_only, run_concurrently
from accounts.tests.factories import UserFactory

Purpose = VerificationToken.Purpose


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_uses_of_one_token_at_most_one_succeeds():
    user = UserFactory()
    _, token = link_token_issue(user=user, purpose=Purpose.RESET_PASSWORD)

    def use() -> str:
        try:
            with transaction.atomic():
                link_token_consume(token=token, purposes=[Purpose.RESET_PASSWORD])
        except LinkInvalid:
            return "invalid"
        return "ok"

    outcomes = run_concurrently(use, use)
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
