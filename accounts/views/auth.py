"""Public sign-in routes: csrf, register, login, logout."""

from django.middleware.csrf import get_token
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import SessionTokenAuthentication
from accounts.cookies import clear_session_cookie, set_session_cookie
from accounts.models import AuthSession
from accounts.registration import user_sign_up
from accounts.serializers import (
    LoginSerializer,
    RegisterSerializer,
    SessionSerializer,
    UserSerializer,
    user_data,
)
from accounts.sessions import session_create, session_sign_out
from accounts.signin import user_sign_in

SIGN_UP_PENDING = "Check your inbox: we have sent a link to confirm your address."


class PublicView(APIView):
    """A route outside the guard: no session needed and none looked up."""

    authentication_classes: list = []
    permission_classes = [AllowAny]


def signed_in_response(
    session: AuthSession, token: str, *, remember: bool, transport: str, status_code: int
) -> Response:
    """Hand the new session's token over by cookie or, for API clients, in the body."""
    body = {
        "user": user_data(session.user),
        "session": SessionSerializer(session, context={"current_session": session}).data,
    }
    if transport == "token":
        return Response({**body, "token": token}, status=status_code)
    response = Response(body, status=status_code)
    set_session_cookie(response, token, remember=remember)
    return response


class CsrfView(PublicView):
    @extend_schema(responses=inline_serializer("Csrf", {"csrfToken": serializers.CharField()}))
    def get(self, request: Request) -> Response:
        return Response({"csrfToken": get_token(request._request)})


class RegisterView(PublicView):
    @extend_schema(request=RegisterSerializer, responses={201: UserSerializer, 202: None})
    def post(self, request: Request) -> Response:
        data = RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        user = user_sign_up(
            request=request._request,
            email=fields["email"],
            password=fields["password"],
            name=fields["name"],
        )
        if user is None:
            return Response({"detail": SIGN_UP_PENDING}, status=status.HTTP_202_ACCEPTED)
        session, token = session_create(user=user, request=request._request)
        return signed_in_response(
            session,
            token,
            remember=True,
            transport=fields["transport"],
            status_code=status.HTTP_201_CREATED,
        )


class LoginView(PublicView):
    @extend_schema(request=LoginSerializer, responses={200: UserSerializer})
    def post(self, request: Request) -> Response:
        data = LoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        session, token = user_sign_in(
            request=request._request,
            email=fields["email"],
            password=fields["password"],
            remember=fields["remember"],
        )
        return signed_in_response(
            session,
            token,
            remember=fields["remember"],
            transport=fields["transport"],
            status_code=status.HTTP_200_OK,
        )


class LogoutView(PublicView):
    """Public so that a stale cookie can always be cleared; revokes the session if valid."""

    authentication_classes = [SessionTokenAuthentication]

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        if request.auth is not None:
            session_sign_out(session=request.auth, request=request._request)
        response = Response(status=status.HTTP_204_NO_CONTENT)
        clear_session_cookie(response)
        return response
