"""The OAuth providers linked to the signed-in user (never their tokens)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.serializers import (
    LinkedAccountListSerializer,
    LinkedAccountSerializer,
    password_field,
    step_up_code_field,
)
from accounts.social.links import oauth_account_unlink
from core.schema import STEP_UP, errors


class LinkedAccountListView(APIView):
    @extend_schema(responses=LinkedAccountListSerializer)
    def get(self, request: Request) -> Response:
        accounts = request.user.oauth_accounts.order_by("created_at")
        return Response({"accounts": LinkedAccountSerializer(accounts, many=True).data})


class UnlinkSerializer(serializers.Serializer):
    password = password_field(required=False, allow_blank=True, default="")
    code = step_up_code_field()


class LinkedAccountDetailView(APIView):
    @extend_schema(
        request=UnlinkSerializer,
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
        data = UnlinkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        oauth_account_unlink(
            user=request.user,
            provider=provider,
            session=request.auth,
            password=data.validated_data["password"] or None,
            code=data.validated_data["code"],
            request=request._request,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
