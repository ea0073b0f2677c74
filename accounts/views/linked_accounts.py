"""The OAuth providers linked to the signed-in user (never their tokens)."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.serializers import LinkedAccountSerializer


class LinkedAccountListView(APIView):
    @extend_schema(responses=LinkedAccountSerializer(many=True))
    def get(self, request: Request) -> Response:
        accounts = request.user.oauth_accounts.order_by("created_at")
        return Response({"accounts": LinkedAccountSerializer(accounts, many=True).data})
