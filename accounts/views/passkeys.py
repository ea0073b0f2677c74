"""Passkeys: register and manage them while signed in; sign in with one (public)."""

import uuid

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Passkey
from accounts.passkeys.credentials import passkey_delete, passkey_rename, passkeys_of
from accounts.passkeys.login import passkey_login, passkey_login_options
from accounts.passkeys.registration import passkey_register, passkey_registration_options
from accounts.serializers import (
    CREDENTIAL_HELP,
    TRANSPORTS,
    PasskeyAssertionSerializer,
    SignedInSerializer,
    StepUpSerializer,
)
from accounts.sessions import COOKIE
from accounts.views.owner_proof import owner_proof
from accounts.views.signin import SIGNED_IN_EXAMPLES, signed_in_response
from core.schema import STEP_UP, errors
from core.views import BodyFormMixin, PublicView

NAME_MAX_LENGTH = Passkey._meta.get_field("name").max_length


class PasskeySerializer(serializers.ModelSerializer):
    class Meta:
        model = Passkey
        fields = ["id", "name", "created_at", "last_used_at", "backed_up"]
        read_only_fields = fields


class PasskeyListSerializer(serializers.Serializer):
    passkeys = PasskeySerializer(many=True)


class PasskeyRegisterSerializer(serializers.Serializer):
    credential = serializers.DictField(help_text=CREDENTIAL_HELP)
    name = serializers.CharField(max_length=NAME_MAX_LENGTH, default="Passkey")


class PasskeyRenameSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=NAME_MAX_LENGTH)


class PasskeyLoginSerializer(PasskeyAssertionSerializer):
    remember = serializers.BooleanField(default=True)
    transport = serializers.ChoiceField(TRANSPORTS, default=COOKIE)


OPTIONS = OpenApiResponse(OpenApiTypes.OBJECT, description="Options for the browser's WebAuthn.")


class PasskeyListView(APIView):
    @extend_schema(responses=PasskeyListSerializer)
    def get(self, request: Request) -> Response:
        passkeys = passkeys_of(request.user)
        return Response({"passkeys": PasskeySerializer(passkeys, many=True).data})


class PasskeyRegisterOptionsView(APIView):
    @extend_schema(
        request=StepUpSerializer,
        responses={200: OPTIONS, **errors(403, 429, 503, s403=STEP_UP)},
    )
    def post(self, request: Request) -> Response:
        options = passkey_registration_options(user=request.user, **owner_proof(request))
        return Response(options)


class PasskeyRegisterView(APIView):
    """Store the passkey the browser created for the open registration challenge; an expired
    or used challenge, or an answer that fails, is a 400 with code "invalid_credential"."""

    @extend_schema(
        request=PasskeyRegisterSerializer,
        responses={201: PasskeySerializer},
    )
    def post(self, request: Request) -> Response:
        data = PasskeyRegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        passkey = passkey_register(
            user=request.user, request=request._request, **data.validated_data
        )
        return Response(PasskeySerializer(passkey).data, status=status.HTTP_201_CREATED)


class PasskeyDetailView(APIView):
    @extend_schema(
        request=PasskeyRenameSerializer, responses={200: PasskeySerializer, **errors(404)}
    )
    def patch(self, request: Request, passkey_id: uuid.UUID) -> Response:
        data = PasskeyRenameSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        passkey = passkey_rename(
            user=request.user,
            passkey_id=passkey_id,
            request=request._request,
            **data.validated_data,
        )
        return Response(PasskeySerializer(passkey).data)

    @extend_schema(
        request=StepUpSerializer,
        responses={
            204: None,
            **errors(
                403,
                404,
                409,
                429,
                503,
                s403=STEP_UP,
                s409='The last way to sign in cannot be deleted (code "last_login_method").',
            ),
        },
    )
    def delete(self, request: Request, passkey_id: uuid.UUID) -> Response:
        passkey_delete(user=request.user, passkey_id=passkey_id, **owner_proof(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasskeyLoginOptionsView(PublicView):
    """A fresh challenge for signing in with a passkey; the browser offers the user's own."""

    @extend_schema(request=None, responses={200: OPTIONS, **errors(429, 503)})
    def post(self, request: Request) -> Response:
        return Response(passkey_login_options(request=request._request))


class PasskeyLoginView(BodyFormMixin, PublicView):
    """Sign in with a passkey alone: no address, no password, no second factor. An expired or
    used challenge, or an answer that fails, is a 400 with code "invalid_credential"."""

    origin_checked = True
    body_serializer = PasskeyLoginSerializer

    @extend_schema(
        request=PasskeyLoginSerializer,
        responses={
            200: SignedInSerializer,
            **errors(
                401,
                403,
                429,
                503,
                s401='No such passkey, or a cloned one (code "passkey_not_recognised").',
                s403='The address is not verified yet (code "email_not_verified"), or a'
                " browser post from an untrusted origin.",
            ),
        },
        examples=SIGNED_IN_EXAMPLES,
    )
    def post(self, request: Request) -> Response:
        data = PasskeyLoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        signed_in = passkey_login(
            request=request._request,
            challenge_id=fields["challenge_id"],
            credential=fields["credential"],
            remember=fields["remember"],
        )
        return signed_in_response(
            signed_in, transport=fields["transport"], status_code=status.HTTP_200_OK
        )
