"""The signed-in user's own security history."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.audit import auth_events_for_user
from accounts.serializers import (
    AuthEventListSerializer,
    AuthEventSerializer,
    EventsQuerySerializer,
)


class AuthEventListView(APIView):
    @extend_schema(parameters=[EventsQuerySerializer], responses=AuthEventListSerializer)
    def get(self, request: Request) -> Response:
        query = EventsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        events = auth_events_for_user(user=request.user, **query.validated_data)
        return Response({"events": AuthEventSerializer(events, many=True).data})
