"""The OAuth providers linked to the signed-in user (never their tokens)."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.serializers import (
    LinkedAccountListSerializer,
    LinkedAccountSerializer,
    StepUpSerializer,
)
from accounts.social.links import oauth_account_unlink
from core.schema import STEP_UP, errors


class LinkedAccountListView(APIView):
    @extend_schema(responses=LinkedAccountListSerializer)
    def get(self, request: Request) -> Response:
        accounts = request.user.oauth_accounts.order_by("created_at")
        return Response({"accounts": LinkedAccountSerializer(accounts, many=True).data})


class LinkedAccountDetailView(APIView):
    @extend_schema(
        request=StepUpSerializer,
        responses={
            204: None,
            **errors(
                403,
                409,
                429,
                503,
                s403=STEP_UP,
                s409="The last way to sign in cannot be unlinked.",
            ),
        },
    )
    def delete(self, request: Request, provider: str) -> Response:
        data = StepUpSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        oauth_account_unlink(
            user=request.user,
            provider=provider,
            session=request.auth,
            password=data.validated_data["password"] or None,
            code=data.validated_data["code"],
            passkey=data.validated_data["passkey"],
            request=request._request,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
