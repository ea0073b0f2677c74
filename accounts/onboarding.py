"""The onboarding profile: what the reader told us about themselves, and whether they finished."""

from django.db import transaction

from accounts.models import OnboardingProfile, User


def onboarding_get(*, user: User) -> OnboardingProfile:
    """The user's profile; an unsaved blank one until they first answer."""
    try:
        return user.onboarding_profile
    except OnboardingProfile.DoesNotExist:
        return OnboardingProfile(user=user)


@transaction.atomic
def onboarding_update(
    *,
    user: User,
    role: str,
    interests: list[str],
    completed_steps: int,
    completed: bool | None = None,
) -> OnboardingProfile:
    """Save the answers; `completed` sets or clears the flag on the user in the same commit."""
    profile, _ = OnboardingProfile.objects.update_or_create(
        user=user,
        defaults={"role": role, "interests": interests, "completed_steps": completed_steps},
    )
    if completed is not None and completed != user.onboarding_completed:
        user.onboarding_completed = completed
        user.save(update_fields=["onboarding_completed", "updated_at"])
    return profile
