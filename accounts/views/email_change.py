"""POST /api/auth/email/change: a link to the new address; the change applies when it is used."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.email_change import email_change_request
from accounts.serializers import EmailChangeSerializer
from accounts.views.owner_proof import owner_proof
from core.schema import STEP_UP, DetailSerializer, errors


class EmailChangeView(APIView):
    @extend_schema(
        request=EmailChangeSerializer,
        responses={
            202: DetailSerializer,
            **errors(
                403,
                409,
                429,
                503,
                s403=STEP_UP,
                s409="The new address is already in use.",
            ),
        },
    )
    def post(self, request: Request) -> Response:
        email_change_request(user=request.user, **owner_proof(request, EmailChangeSerializer))
        detail = "Confirm the change with the link we sent to the new address."
        return Response({"detail": detail}, status=status.HTTP_202_ACCEPTED)
