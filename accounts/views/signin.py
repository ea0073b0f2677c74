"""Public sign-in routes: csrf, login, logout; and the answer every sign-in gives."""

from django.middleware.csrf import get_token
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.authentication import SessionTokenAuthentication
from accounts.cookies import clear_session_cookie, set_device_cookie, set_session_cookie
from accounts.login import password_login
from accounts.serializers import LoginSerializer, SessionSerializer, UserSerializer, user_data
from accounts.sessions import TOKEN, Transport, session_sign_out
from accounts.signin import SignedIn
from core.views import BodyFormMixin, PublicView


def signed_in_response(signed_in: SignedIn, *, transport: Transport, status_code: int) -> Response:
    """Hand the new session's token over by cookie or, for API clients, in the body.

    Only a cookie client gets the device cookie: a program holding a bearer token has no
    cookie jar to keep it in, so it never earns the exemption from the account's lockout."""
    session = signed_in.session
    body = {
        "user": user_data(signed_in.user),
        "session": SessionSerializer(session, context={"current_session": session}).data,
    }
    if transport == TOKEN:
        return Response({**body, "token": signed_in.token}, status=status_code)
    response = Response(body, status=status_code)
    set_session_cookie(response, signed_in.token, remember=signed_in.remember)
    set_device_cookie(response, signed_in.device)
    return response


class CsrfView(PublicView):
    @extend_schema(responses=inline_serializer("Csrf", {"csrfToken": serializers.CharField()}))
    def get(self, request: Request) -> Response:
        return Response({"csrfToken": get_token(request._request)})


class LoginView(BodyFormMixin, PublicView):
    """Sign in with email and password: the session comes back as a cookie or, with
    `"transport": "token"`, in the body."""

    origin_checked = True
    body_serializer = LoginSerializer

    @extend_schema(request=LoginSerializer, responses={200: UserSerializer})
    def post(self, request: Request) -> Response:
        data = LoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        signed_in = password_login(
            request=request._request,
            email=fields["email"],
            password=fields["password"],
            remember=fields["remember"],
        )
        return signed_in_response(
            signed_in, transport=fields["transport"], status_code=status.HTTP_200_OK
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
