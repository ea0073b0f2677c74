"""Social sign-in routes: the redirect to the provider and the provider's callback."""

from collections.abc import Mapping

from django.conf import settings
from django.http import HttpResponseRedirect
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser
from rest_framework.request import Request

from accounts.cookies import set_device_cookie, set_mfa_pending_cookie, set_session_cookie
from accounts.social.flow import oauth_begin, oauth_complete
from core.parsers import StrictJSONParser
from core.views import PublicView


class OAuthBeginSerializer(serializers.Serializer):
    next = serializers.CharField(required=False, allow_blank=True, default="")
    link = serializers.BooleanField(required=False, default=False)


class OAuthBeginView(PublicView):
    # A browser may start here with a plain HTML form post (a top-level navigation).
    parser_classes = [StrictJSONParser, FormParser]

    @extend_schema(
        parameters=[OAuthBeginSerializer],
        request=None,
        responses={302: OpenApiResponse(description="To the provider")},
    )
    def get(self, request: Request, provider: str) -> HttpResponseRedirect:
        body = request.data
        # A body that is not an object (a JSON array, say) goes to the serializer as is: a 400.
        fields = {**request.query_params.dict(), **body} if isinstance(body, Mapping) else body
        data = OAuthBeginSerializer(data=fields)
        data.is_valid(raise_exception=True)
        url = oauth_begin(
            request=request._request,
            provider=provider,
            next_url=data.validated_data["next"] or settings.FRONTEND_URL,
            link=data.validated_data["link"],
        )
        return HttpResponseRedirect(url)

    post = get


class OAuthCallbackView(PublicView):
    @extend_schema(
        responses={
            302: OpenApiResponse(
                description="To FRONTEND_URL; to /login?mfa=1 (with the mfa_pending cookie)"
                " when two-factor is on; or to /login?error="
            )
        }
    )
    def get(self, request: Request, provider: str) -> HttpResponseRedirect:
        outcome = oauth_complete(request=request._request, provider=provider)
        response = HttpResponseRedirect(outcome.redirect_to)
        if outcome.session_token:
            set_session_cookie(response, outcome.session_token, remember=True)
            set_device_cookie(response, outcome.device_cookie)
        if outcome.mfa_pending:
            set_mfa_pending_cookie(response, outcome.mfa_pending)
        return response
