"""The user's email address: verify it, ask for another link, change it."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.email_address import email_change_request, email_verification_resend, email_verify
from accounts.serializers import EmailChangeSerializer, TokenSerializer, UserSerializer, user_data
from accounts.views.auth import PublicView


class EmailVerifyView(PublicView):
    @extend_schema(request=TokenSerializer, responses={200: UserSerializer})
    def post(self, request: Request) -> Response:
        data = TokenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = email_verify(request=request._request, **data.validated_data)
        return Response({"user": user_data(user)})


class EmailResendView(APIView):
    @extend_schema(request=None, responses={202: None})
    def post(self, request: Request) -> Response:
        sent = email_verification_resend(request=request._request, user=request.user)
        detail = "A new link is on its way." if sent else "Your address is already verified."
        return Response({"detail": detail}, status=status.HTTP_202_ACCEPTED)


class EmailChangeView(APIView):
    @extend_schema(request=EmailChangeSerializer, responses={202: None})
    def post(self, request: Request) -> Response:
        data = EmailChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        email_change_request(
            request=request._request,
            user=request.user,
            session=request.auth,
            **data.validated_data,
        )
        detail = "Confirm the change with the link we sent to the new address."
        return Response({"detail": detail}, status=status.HTTP_202_ACCEPTED)
