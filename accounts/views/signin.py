"""Public sign-in routes: csrf, login, logout; and the answer every sign-in gives."""

from django.middleware.csrf import get_token
from drf_spectacular.utils import OpenApiExample, PolymorphicProxySerializer, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.authentication import SessionTokenAuthentication
from accounts.cookies import clear_session_cookie, set_device_cookie, set_session_cookie
from accounts.login import password_login
from accounts.serializers import (
    CsrfSerializer,
    LoginSerializer,
    MfaRequiredSerializer,
    SessionSerializer,
    SignedInSerializer,
    user_data,
)
from accounts.sessions import TOKEN, Transport, session_sign_out
from accounts.signin import SecondFactorPending, SignedIn
from core.schema import errors
from core.views import BodyFormMixin, PublicView

USER_EXAMPLE = {
    "id": "3f0c5a52-8d0e-4c8e-9a53-5b1c2f8b7d10",
    "email": "ada@example.com",
    "name": "Ada",
    "email_verified": False,
    "email_verified_at": None,
    "onboarding_completed": False,
    "has_password": True,
    "created_at": "2026-01-05T09:30:00Z",
}
SESSION_EXAMPLE = {
    "id": "9b2e7c1d-4f6a-4d3b-8e2f-1a0c9d8e7f65",
    "created_at": "2026-01-05T09:30:00Z",
    "last_used_at": "2026-01-05T09:30:00Z",
    "expires_at": "2026-02-04T09:30:00Z",
    "idle_expires_at": "2026-01-19T09:30:00Z",
    "ip_address": "203.0.113.7",
    "user_agent": "curl/8.5.0",
    "current": True,
}
MFA_REQUIRED_EXAMPLE = OpenApiExample(
    "Two-factor is on: no session yet",
    value={"mfa_required": True, "mfa_token": "Zk3...9pQ", "methods": ["totp", "recovery_code"]},
    response_only=True,
)
# What a sign-in with a first factor answers: the session, or the second factor's turn.
SIGN_IN_ANSWER = PolymorphicProxySerializer(
    component_name="SignInAnswer",
    serializers=[SignedInSerializer, MfaRequiredSerializer],
    resource_type_field_name=None,
)
SIGNED_IN_EXAMPLES = [
    OpenApiExample(
        "A program (bearer token)",
        value={"user": USER_EXAMPLE, "session": SESSION_EXAMPLE, "token": "q1Vh...n4Y"},
        response_only=True,
    ),
    OpenApiExample(
        "A browser (the token is in the session cookie)",
        value={"user": USER_EXAMPLE, "session": SESSION_EXAMPLE},
        response_only=True,
    ),
]


def signed_in_response(
    signed_in: SignedIn | SecondFactorPending, *, transport: Transport, status_code: int
) -> Response:
    """Hand the new session's token over by cookie or, for API clients, in the body; or, when
    the second factor is still due, the mfa_token (200 whatever `status_code`: nothing was
    created yet).

    Only a cookie client gets the device cookie: a program holding a bearer token has no
    cookie jar to keep it in, so it never earns the exemption from the account's lockout."""
    if isinstance(signed_in, SecondFactorPending):
        body = {
            "mfa_required": True,
            "mfa_token": signed_in.mfa_token,
            "methods": signed_in.methods,
        }
        return Response(MfaRequiredSerializer(body).data, status=status.HTTP_200_OK)
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
    @extend_schema(responses=CsrfSerializer)
    def get(self, request: Request) -> Response:
        return Response({"csrfToken": get_token(request._request)})


class LoginView(BodyFormMixin, PublicView):
    """Sign in with email and password: the session comes back as a cookie or, with
    `"transport": "token"`, in the body."""

    origin_checked = True
    body_serializer = LoginSerializer

    @extend_schema(
        request=LoginSerializer,
        responses={
            200: SIGN_IN_ANSWER,
            **errors(
                401,
                403,
                429,
                503,
                s401='Wrong address or password (code "invalid_credentials").',
                s403='The address is not verified yet (code "email_not_verified"), or a'
                " browser post from an untrusted origin.",
            ),
        },
        examples=[
            OpenApiExample(
                "A program signs in",
                value={
                    "email": "ada@example.com",
                    "password": "correct horse battery staple",
                    "transport": "token",
                },
                request_only=True,
            ),
            *SIGNED_IN_EXAMPLES,
            MFA_REQUIRED_EXAMPLE,
        ],
    )
    def post(self, request: Request) -> Response:
        data = LoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        signed_in = password_login(
            request=request._request,
            email=fields["email"],
            password=fields["password"],
            remember=fields["remember"],
            transport=fields["transport"],
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
