"""POST /api/auth/register: a new account, signed in at once unless verification is mandatory."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.registration import user_register
from accounts.serializers import RegisterSerializer, SignedInSerializer
from accounts.views.signin import SIGNED_IN_EXAMPLES, signed_in_response
from core.schema import DetailSerializer, errors
from core.views import BodyFormMixin, PublicView

SIGN_UP_PENDING = "Check your inbox: we have sent a link to confirm your address."


class RegisterView(BodyFormMixin, PublicView):
    """Create an account with email and password (and a name), signed in at once unless
    the address must be verified first."""

    origin_checked = True
    body_serializer = RegisterSerializer

    @extend_schema(
        request=RegisterSerializer,
        responses={
            201: OpenApiResponse(SignedInSerializer, description="Signed up and signed in."),
            202: OpenApiResponse(
                DetailSerializer, description="Verification is mandatory: confirm the address."
            ),
            **errors(
                409,
                429,
                503,
                s409="The address is taken (where verification is mandatory, a taken address"
                " answers 202 like a free one).",
            ),
        },
        examples=[
            OpenApiExample(
                "A program signs up",
                value={
                    "email": "ada@example.com",
                    "password": "correct horse battery staple",
                    "name": "Ada",
                    "transport": "token",
                },
                request_only=True,
            ),
            *SIGNED_IN_EXAMPLES,
            OpenApiExample(
                "Verification is mandatory",
                value={"detail": SIGN_UP_PENDING},
                response_only=True,
                status_codes=["202"],
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        data = RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        signed_in = user_register(
            request=request._request,
            email=fields["email"],
            password=fields["password"],
            name=fields["name"],
        )
        if signed_in is None:
            return Response({"detail": SIGN_UP_PENDING}, status=status.HTTP_202_ACCEPTED)
        return signed_in_response(
            signed_in, transport=fields["transport"], status_code=status.HTTP_201_CREATED
        )
