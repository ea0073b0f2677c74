"""GET/PUT /api/onboarding: the signed-in user's onboarding answers."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.onboarding import onboarding_get, onboarding_update

MAX_INTERESTS = 20


class OnboardingSerializer(serializers.Serializer):
    role = serializers.CharField(max_length=100, allow_blank=True, default="")
    interests = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=MAX_INTERESTS, default=list
    )
    completed_steps = serializers.IntegerField(min_value=0, max_value=100, default=0)
    completed = serializers.BooleanField(required=False)


def profile_data(profile, user) -> dict:
    return {
        "role": profile.role,
        "interests": profile.interests,
        "completed_steps": profile.completed_steps,
        "completed": user.onboarding_completed,
    }


class OnboardingView(APIView):
    @extend_schema(responses=OnboardingSerializer)
    def get(self, request: Request) -> Response:
        return Response(profile_data(onboarding_get(user=request.user), request.user))

    @extend_schema(request=OnboardingSerializer, responses=OnboardingSerializer)
    def put(self, request: Request) -> Response:
        data = OnboardingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile = onboarding_update(user=request.user, **data.validated_data)
        return Response(profile_data(profile, request.user))
