"""The signed-in user's sessions: list and revoke."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.cookies import clear_session_cookie
from accounts.models import AuthSession
from accounts.serializers import RevokedSerializer, SessionListSerializer, SessionSerializer
from accounts.sessions import (
    session_revoke,
    sessions_active_for_user,
    sessions_revoke_for_user,
)


class SessionListView(APIView):
    @extend_schema(responses=SessionListSerializer)
    def get(self, request: Request) -> Response:
        sessions = sessions_active_for_user(request.user)
        data = SessionSerializer(sessions, many=True, context={"current_session": request.auth})
        return Response({"sessions": data.data})


class SessionDetailView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, session_id) -> Response:
        session = get_object_or_404(AuthSession, pk=session_id, user=request.user)
        session_revoke(session=session, actor="user", request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RevokeOtherSessionsView(APIView):
    @extend_schema(request=None, responses=RevokedSerializer)
    def post(self, request: Request) -> Response:
        revoked = sessions_revoke_for_user(
            user=request.user, keep=request.auth, actor="user", request=request._request
        )
        return Response({"revoked": revoked})


class RevokeAllSessionsView(APIView):
    @extend_schema(request=None, responses=RevokedSerializer)
    def post(self, request: Request) -> Response:
        revoked = sessions_revoke_for_user(
            user=request.user, actor="user", request=request._request
        )
        response = Response({"revoked": revoked})
        clear_session_cookie(response)
        return response
