"""Sign-in by emailed code: ask for a code, then sign in with it."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.login_codes import login_code_request, login_code_verify
from accounts.serializers import CodeRequestSerializer, CodeVerifySerializer
from accounts.views.signin import (
    MFA_REQUIRED_EXAMPLE,
    SIGN_IN_ANSWER,
    SIGNED_IN_EXAMPLES,
    signed_in_response,
)
from core.schema import DetailSerializer, errors
from core.views import BodyFormMixin, PublicView

CODE_ANSWER = "If an account uses this address, a sign-in code is on its way."


class CodeRequestView(BodyFormMixin, PublicView):
    """Mail a six-digit sign-in code (and a link with it) to the address, if it has an
    account; the answer is the same either way."""

    origin_checked = True
    body_serializer = CodeRequestSerializer

    @extend_schema(
        request=CodeRequestSerializer, responses={202: DetailSerializer, **errors(429, 503)}
    )
    def post(self, request: Request) -> Response:
        data = CodeRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        login_code_request(request=request._request, **data.validated_data)
        return Response({"detail": CODE_ANSWER}, status=status.HTTP_202_ACCEPTED)


class CodeVerifyView(BodyFormMixin, PublicView):
    """Sign in with the mailed code; it proves the address too. A wrong, used or expired code
    and an unknown address all answer 400 with code "invalid_code"."""

    origin_checked = True
    body_serializer = CodeVerifySerializer

    @extend_schema(
        request=CodeVerifySerializer,
        responses={
            200: SIGN_IN_ANSWER,
            **errors(
                403,
                429,
                503,
                s403="A browser post from an untrusted origin.",
            ),
        },
        examples=[*SIGNED_IN_EXAMPLES, MFA_REQUIRED_EXAMPLE],
    )
    def post(self, request: Request) -> Response:
        data = CodeVerifySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        signed_in = login_code_verify(
            request=request._request,
            email=fields["email"],
            code=fields["code"],
            remember=fields["remember"],
            transport=fields["transport"],
        )
        return signed_in_response(
            signed_in, transport=fields["transport"], status_code=status.HTTP_200_OK
        )
