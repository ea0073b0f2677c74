"""Two-factor authentication: its state, TOTP set-up, confirmation and removal, new recovery
codes, and the sign-in's second stage."""

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.cookies import clear_mfa_pending_cookie
from accounts.mfa.enrolment import (
    mfa_status,
    recovery_codes_regenerate,
    totp_confirm,
    totp_disable,
    totp_setup,
)
from accounts.mfa.verify import mfa_sign_in_complete
from accounts.serializers import (
    MfaStatusSerializer,
    MfaVerifySerializer,
    RecoveryCodesSerializer,
    SignedInSerializer,
    StepUpSerializer,
    TotpConfirmSerializer,
    TotpSetupAnswerSerializer,
    TotpSetupSerializer,
)
from accounts.views.owner_proof import owner_proof
from accounts.views.signin import SIGNED_IN_EXAMPLES, signed_in_response
from core.schema import REAUTH, STEP_UP, errors
from core.views import BodyFormMixin, PublicView

NOT_ON = 'Two-factor authentication is not on (code "mfa_not_enabled").'


class MfaStatusView(APIView):
    @extend_schema(responses=MfaStatusSerializer)
    def get(self, request: Request) -> Response:
        state = mfa_status(user=request.user)
        return Response(MfaStatusSerializer(state).data)


class TotpSetupView(APIView):
    @extend_schema(
        request=TotpSetupSerializer,
        responses={
            200: TotpSetupAnswerSerializer,
            **errors(403, 409, 429, s403=REAUTH, s409='Already on (code "mfa_already_enabled").'),
        },
    )
    def post(self, request: Request) -> Response:
        data = TotpSetupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        setup = totp_setup(
            user=request.user,
            session=request.auth,
            password=data.validated_data["password"],
            request=request._request,
        )
        return Response(TotpSetupAnswerSerializer(setup).data)


class TotpConfirmView(APIView):
    @extend_schema(
        request=TotpConfirmSerializer,
        responses={
            200: RecoveryCodesSerializer,
            **errors(429, 409, s409='No set-up to confirm (code "mfa_setup_required").'),
        },
    )
    def post(self, request: Request) -> Response:
        data = TotpConfirmSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        codes = totp_confirm(
            user=request.user, code=data.validated_data["code"], request=request._request
        )
        return Response(RecoveryCodesSerializer({"recovery_codes": codes}).data)


class TotpView(APIView):
    @extend_schema(
        request=StepUpSerializer,
        responses={204: None, **errors(403, 409, 429, s403=STEP_UP, s409=NOT_ON)},
    )
    def delete(self, request: Request) -> Response:
        totp_disable(user=request.user, **owner_proof(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class RecoveryCodesView(APIView):
    @extend_schema(
        request=StepUpSerializer,
        responses={
            200: RecoveryCodesSerializer,
            **errors(403, 409, 429, s403=STEP_UP, s409=NOT_ON),
        },
    )
    def post(self, request: Request) -> Response:
        codes = recovery_codes_regenerate(user=request.user, **owner_proof(request))
        return Response(RecoveryCodesSerializer({"recovery_codes": codes}).data)


class MfaVerifyView(BodyFormMixin, PublicView):
    """Complete a sign-in that answered `mfa_required`: the session comes as the first stage
    asked (cookie, or `token` in the body). A pending sign-in that expired, was completed or
    had five wrong codes answers 400 `invalid_mfa_token`."""

    origin_checked = True
    body_serializer = MfaVerifySerializer

    @extend_schema(
        request=MfaVerifySerializer,
        responses={
            200: SignedInSerializer,
            **errors(
                401,
                429,
                s401='The code is wrong or was already used (code "invalid_code").',
            ),
        },
        examples=[
            OpenApiExample(
                "A code from the authenticator app",
                value={"mfa_token": "Zk3...9pQ", "code": "123456"},
                request_only=True,
            ),
            *SIGNED_IN_EXAMPLES,
        ],
    )
    def post(self, request: Request) -> Response:
        data = MfaVerifySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        mfa_token = fields["mfa_token"] or request.COOKIES.get(settings.MFA_PENDING_COOKIE_NAME, "")
        signed_in, transport = mfa_sign_in_complete(
            request=request._request,
            mfa_token=mfa_token,
            code=fields["code"],
            passkey=fields["passkey"],
        )
        response = signed_in_response(signed_in, transport=transport, status_code=200)
        clear_mfa_pending_cookie(response)
        return response
