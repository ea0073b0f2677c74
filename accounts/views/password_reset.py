"""Forgotten passwords: ask for a reset link, then set a new password with it."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.password_reset import password_reset_complete, password_reset_request
from accounts.serializers import PasswordForgotSerializer, PasswordResetSerializer
from core.schema import DetailSerializer, errors
from core.views import PublicView

FORGOT_ANSWER = "If an account uses this address, a link to reset its password is on its way."


class PasswordForgotView(PublicView):
    origin_checked = True

    @extend_schema(
        request=PasswordForgotSerializer, responses={202: DetailSerializer, **errors(429, 503)}
    )
    def post(self, request: Request) -> Response:
        data = PasswordForgotSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        password_reset_request(request=request._request, **data.validated_data)
        return Response({"detail": FORGOT_ANSWER}, status=status.HTTP_202_ACCEPTED)


class PasswordResetView(PublicView):
    origin_checked = True

    @extend_schema(
        request=PasswordResetSerializer, responses={200: DetailSerializer, **errors(429, 503)}
    )
    def post(self, request: Request) -> Response:
        data = PasswordResetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        password_reset_complete(request=request._request, **data.validated_data)
        return Response({"detail": "Your password was reset; sign in with the new one."})
