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
from accounts.errors import ApiError
from accounts.models import User
from accounts.serializers import (
    LoginSerializer,
    RegisterSerializer,
    SessionSerializer,
    UserSerializer,
    user_data,
)
from accounts.sessions import session_create, session_revoke
from accounts.users import user_authenticate, user_register


class PublicView(APIView):
    """A route outside the guard: no session needed and none looked up."""

    authentication_classes: list = []
    permission_classes = [AllowAny]


def signed_in_response(
    request: Request, user: User, *, remember: bool, transport: str, status_code: int
) -> Response:
    """Start a session and hand its token over by cookie or, for API clients, in the body."""
    session, token = session_create(user=user, request=request._request, remember=remember)
    body = {
        "user": user_data(user),
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
    @extend_schema(request=RegisterSerializer, responses={201: UserSerializer})
    def post(self, request: Request) -> Response:
        data = RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        user = user_register(
            email=fields["email"], password=fields["password"], name=fields["name"]
        )
        return signed_in_response(
            request,
            user,
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
        user = user_authenticate(email=fields["email"], password=fields["password"])
        if user is None:
            raise ApiError(
                "Invalid email or password.", "invalid_credentials", status.HTTP_401_UNAUTHORIZED
            )
        return signed_in_response(
            request,
            user,
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
            session_revoke(session=request.auth)
        response = Response(status=status.HTTP_204_NO_CONTENT)
        clear_session_cookie(response)
        return response
