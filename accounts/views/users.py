"""The signed-in user: read, rename, change the password, delete the account."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.cookies import clear_session_cookie
from accounts.serializers import (
    AccountDeleteSerializer,
    MeUpdateSerializer,
    PasswordChangedSerializer,
    PasswordChangeSerializer,
    UserBodySerializer,
    user_data,
)
from accounts.users import user_change_password, user_delete, user_update
from accounts.views.owner_proof import owner_proof
from core.schema import REAUTH, STEP_UP, errors

# Sensitive actions confirm the password (or a recent sign-in); a wrong one is counted.
CONFIRMED = errors(403, 429, 503, s403=REAUTH)
# Deleting the account takes a second-factor code as well, with two-factor on.
STEPPED_UP = errors(403, 429, 503, s403=STEP_UP)


class MeView(APIView):
    @extend_schema(responses=UserBodySerializer)
    def get(self, request: Request) -> Response:
        return Response({"user": user_data(request.user)})

    @extend_schema(request=MeUpdateSerializer, responses=UserBodySerializer)
    def patch(self, request: Request) -> Response:
        data = MeUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = user_update(user=request.user, **data.validated_data)
        return Response({"user": user_data(user)})

    @extend_schema(request=AccountDeleteSerializer, responses={204: None, **STEPPED_UP})
    def delete(self, request: Request) -> Response:
        user_delete(user=request.user, **owner_proof(request, AccountDeleteSerializer))
        response = Response(status=status.HTTP_204_NO_CONTENT)
        clear_session_cookie(response)
        return response


class PasswordChangeView(APIView):
    @extend_schema(
        request=PasswordChangeSerializer, responses={200: PasswordChangedSerializer, **CONFIRMED}
    )
    def post(self, request: Request) -> Response:
        data = PasswordChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        revoked = user_change_password(
            user=request.user, keep=request.auth, request=request._request, **data.validated_data
        )
        return Response({"detail": "Password changed.", "revoked_sessions": revoked})
