"""Input and output shapes of the accounts API."""

from django.conf import settings
from rest_framework import serializers

from accounts.models import AuthEvent, AuthSession, OAuthAccount, User
from accounts.names import NAME_MAX_LENGTH, name_validate
from accounts.sessions import COOKIE, TOKEN, session_idle_expires_at

TRANSPORTS = (COOKIE, TOKEN)


class UserSerializer(serializers.ModelSerializer):
    email_verified = serializers.BooleanField(read_only=True)
    has_password = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "name",
            "email_verified",
            "email_verified_at",
            "onboarding_completed",
            "has_password",
            "created_at",
        ]
        read_only_fields = fields

    def get_has_password(self, user: User) -> bool:
        return user.has_usable_password()


_user_serializer = UserSerializer()


def user_data(user: User) -> dict:
    """The User object of the API (docs/api.md), from one reused serializer.

    A ModelSerializer introspects the model to build its fields on every instantiation; on
    GET /api/auth/me that cost more than the session lookup. Rendering is stateless, so one
    instance serves every request."""
    return _user_serializer.to_representation(user)


class SessionSerializer(serializers.ModelSerializer):
    idle_expires_at = serializers.SerializerMethodField()
    current = serializers.SerializerMethodField()

    class Meta:
        model = AuthSession
        fields = [
            "id",
            "created_at",
            "last_used_at",
            "expires_at",
            "idle_expires_at",
            "ip_address",
            "user_agent",
            "current",
        ]
        read_only_fields = fields

    def get_idle_expires_at(self, session: AuthSession) -> str:
        return serializers.DateTimeField().to_representation(session_idle_expires_at(session))

    def get_current(self, session: AuthSession) -> bool:
        current = self.context.get("current_session")
        return current is not None and current.pk == session.pk


class LinkedAccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = OAuthAccount
        fields = ["provider", "provider_account_id", "created_at"]
        read_only_fields = fields


def password_field(**kwargs) -> serializers.CharField:
    """Bounded before any hashing, so a megabyte password costs nothing."""
    return serializers.CharField(
        max_length=settings.PASSWORD_MAX_LENGTH, trim_whitespace=False, **kwargs
    )


def name_field(**kwargs) -> serializers.CharField:
    """A display name: one line of printable text, so it cannot pose as a mail's own text."""
    return serializers.CharField(
        max_length=NAME_MAX_LENGTH, allow_blank=True, validators=[name_validate], **kwargs
    )


class RegisterSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=255)
    password = password_field()
    name = name_field(required=False, default="")
    transport = serializers.ChoiceField(TRANSPORTS, default=COOKIE)


class LoginSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=255)
    password = password_field()
    remember = serializers.BooleanField(default=True)
    transport = serializers.ChoiceField(TRANSPORTS, default=COOKIE)


class MeUpdateSerializer(serializers.Serializer):
    name = name_field()


class PasswordChangeSerializer(serializers.Serializer):
    current_password = password_field()
    new_password = password_field()
    revoke_other_sessions = serializers.BooleanField(default=True)


# --- Account lifecycle: emailed links, change of address, deletion, events ------------------
class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=128, trim_whitespace=True)


class PasswordForgotSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=255)


class PasswordResetSerializer(TokenSerializer):
    new_password = password_field()


class CodeRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=255)


class CodeVerifySerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=255)
    code = serializers.CharField(max_length=16, help_text="The six digits from the mail.")
    remember = serializers.BooleanField(default=True)
    transport = serializers.ChoiceField(TRANSPORTS, default=COOKIE)


class EmailChangeSerializer(serializers.Serializer):
    new_email = serializers.EmailField(max_length=255)
    password = password_field(required=False, allow_blank=True, default=None, allow_null=True)


class AccountDeleteSerializer(serializers.Serializer):
    password = password_field(required=False, allow_blank=True, default=None, allow_null=True)


class EventsQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=100, default=20)


class AuthEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuthEvent
        fields = ["type", "created_at", "ip_address", "user_agent", "detail"]
        read_only_fields = fields


# --- Answers: the bodies the views return ---------------------------------------------------
class SignedInSerializer(serializers.Serializer):
    user = UserSerializer()
    session = SessionSerializer()
    token = serializers.CharField(
        required=False, help_text='Only with "transport": "token"; otherwise it is the cookie.'
    )


class UserBodySerializer(serializers.Serializer):
    user = UserSerializer()


class SessionListSerializer(serializers.Serializer):
    sessions = SessionSerializer(many=True)


class LinkedAccountListSerializer(serializers.Serializer):
    accounts = LinkedAccountSerializer(many=True)


class AuthEventListSerializer(serializers.Serializer):
    events = AuthEventSerializer(many=True)


class RevokedSerializer(serializers.Serializer):
    revoked = serializers.IntegerField(help_text="How many sessions were ended.")


class PasswordChangedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    revoked_sessions = serializers.IntegerField()


class CsrfSerializer(serializers.Serializer):
    csrfToken = serializers.CharField(help_text="Send it back in X-CSRFToken.")
