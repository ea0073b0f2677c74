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
from accounts.views.owner_proof import owner_proof
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
        oauth_account_unlink(user=request.user, provider=provider, **owner_proof(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
