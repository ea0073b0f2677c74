"""Proving the address: use a verification (or change-of-address) link, ask for another, or
delete an account the address's owner never created."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.email_verification import email_disown, email_verification_resend, email_verify
from accounts.serializers import TokenSerializer, UserBodySerializer, user_data
from core.schema import DetailSerializer, errors
from core.views import PublicView

# An unknown, used or expired link is a 400 (codes "link_invalid", "link_expired").
LINK_ERRORS = errors(429, 503)


class EmailVerifyView(PublicView):
    origin_checked = True

    @extend_schema(request=TokenSerializer, responses={200: UserBodySerializer, **LINK_ERRORS})
    def post(self, request: Request) -> Response:
        data = TokenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = email_verify(request=request._request, **data.validated_data)
        return Response({"user": user_data(user)})


class EmailDisownView(PublicView):
    origin_checked = True

    @extend_schema(request=TokenSerializer, responses={204: None, **LINK_ERRORS})
    def post(self, request: Request) -> Response:
        data = TokenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        email_disown(request=request._request, **data.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EmailResendView(APIView):
    @extend_schema(request=None, responses={202: DetailSerializer, **errors(429, 503)})
    def post(self, request: Request) -> Response:
        sent = email_verification_resend(request=request._request, user=request.user)
        detail = "A new link is on its way." if sent else "Your address is already verified."
        return Response({"detail": detail}, status=status.HTTP_202_ACCEPTED)
