"""The User object built directly on the hot path is exactly what UserSerializer (the schema's
shape) writes, for every kind of account."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from accounts.serializers import UserSerializer, user_data
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"email_verified_at": datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)},
        {"email_verified_at": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)},
        {"onboarding_completed": True, "name": "Zoë"},
    ],
    ids=["unverified", "verified", "whole second", "onboarded"],
)
@pytest.mark.parametrize("password", ["a long enough passphrase", None])
def test_user_data_is_what_the_serializer_writes(fields, password):
    user = UserFactory(**fields)
    user.set_password(password) if password else user.set_unusable_password()
    user.save()
    user.refresh_from_db()
    assert user_data(user) == UserSerializer(user).data


def test_another_current_time_zone_is_written_as_drf_writes_it():
    user = UserFactory(email_verified_at=timezone.now() - timedelta(days=1))
    with timezone.override("Europe/Paris"):
        assert user_data(user) == UserSerializer(user).data
        assert not user_data(user)["created_at"].endswith("Z")
