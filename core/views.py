"""The DRF base view of public routes."""

from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from core.public import public_view


class PublicView(APIView):
    """A DRF view outside the guard: no session needed and none looked up."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    origin_checked = False

    @classmethod
    def as_view(cls, **initkwargs):
        return public_view(super().as_view(**initkwargs), origin_checked=cls.origin_checked)
