"""The DRF base view of public routes, and the browsable API's form for a JSON body."""

from rest_framework.fields import empty
from rest_framework.permissions import AllowAny
from rest_framework.serializers import Serializer
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


class BodyFormMixin:
    """Fills the browsable API's raw-data form with the body's fields and their defaults: DRF
    builds it from `get_serializer()`, which a plain APIView lacks, so a reader otherwise
    faces an empty box. The view itself still validates with its serializer as usual."""

    body_serializer: type[Serializer]

    def get_serializer(self, *args, **kwargs) -> Serializer:
        serializer = self.body_serializer(*args, **kwargs)
        for field in serializer.fields.values():
            if field.default is not empty:
                field.initial = field.default
        return serializer
