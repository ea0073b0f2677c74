"""POST /api/auth/email/change: a link to the new address; the change applies when it is used."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.email_change import email_change_request
from accounts.serializers import EmailChangeSerializer
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
