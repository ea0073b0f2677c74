"""GET/PUT /api/onboarding."""

import pytest

from accounts.models import OnboardingProfile
from accounts.tests.factories import UserFactory
from accounts.tests.helpers import client_of

pytestmark = pytest.mark.django_db


def test_blank_profile_before_any_answer(signed_in):
    response = signed_in.get("/api/onboarding")
    assert response.status_code == 200
    assert response.json() == {
        "role": "",
        "interests": [],
        "completed_steps": 0,
        "completed": False,
    }
    assert not OnboardingProfile.objects.exists()


def test_put_saves_answers_and_completing_sets_the_user_flag(signed_in):
    body = {"role": "student", "interests": ["ros2", "control"], "completed_steps": 3}
    response = signed_in.put("/api/onboarding", body, format="json")
    assert response.status_code == 200
    assert response.json() == body | {"completed": False}

    response = signed_in.put("/api/onboarding", body | {"completed": True}, format="json")
    assert response.json()["completed"] is True
    assert signed_in.get("/api/auth/me").json()["user"]["onboarding_completed"] is True
    profile = OnboardingProfile.objects.get(user=signed_in.user)
    assert profile.interests == ["ros2", "control"]
    assert profile.completed_steps == 3
    assert signed_in.get("/api/onboarding").json() == body | {"completed": True}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"interests": "robots"}, "interests"),
        ({"interests": ["x" * 101]}, "interests"),
        ({"interests": [str(i) for i in range(21)]}, "interests"),
        ({"completed_steps": -1}, "completed_steps"),
        ({"completed_steps": "many"}, "completed_steps"),
        ({"role": "r" * 101}, "role"),
        ({"completed": "perhaps"}, "completed"),
    ],
)
def test_put_rejects_invalid_input(signed_in, body, field):
    response = signed_in.put("/api/onboarding", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert field in response.json()
    assert not OnboardingProfile.objects.exists()


def test_profiles_are_per_user(signed_in):
    signed_in.put("/api/onboarding", {"role": "teacher"}, format="json")
    assert client_of(UserFactory()).get("/api/onboarding").json()["role"] == ""
