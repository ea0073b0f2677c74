"""Input and output shapes of the accounts API."""

from datetime import datetime, tzinfo

from django.conf import settings
from django.utils import timezone
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


def user_data(user: User) -> dict:
    """The User object of the API (docs/api.md): UserSerializer's fields, built directly.

    It is most of what GET /api/auth/me does beside the session lookup, and DRF's field
    machinery took about 29 us of a 300 us request there (bench/README.md). UserSerializer
    stays what the schema shows; a test holds the two equal for every kind of account."""
    zone = timezone.get_current_timezone()
    return {
        "id": str(user.pk),
        "email": user.email,
        "name": user.name,
        "email_verified": user.email_verified,
        "email_verified_at": _datetime(user.email_verified_at, zone),
        "onboarding_completed": user.onboarding_completed,
        "has_password": user.has_usable_password(),
        "created_at": _datetime(user.created_at, zone),
    }


def _datetime(value: datetime | None, zone: tzinfo) -> str | None:
    """As DRF's DateTimeField writes it: ISO 8601 in the current time zone, UTC as Z."""
    if value is None:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


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


def code_field(**kwargs) -> serializers.CharField:
    """A second-factor code: six digits from the authenticator app, or a recovery code."""
    return serializers.CharField(
        max_length=32,
        help_text="A code from the authenticator app, or a recovery code (with two-factor on).",
        **kwargs,
    )


def step_up_code_field() -> serializers.CharField:
    return code_field(required=False, allow_blank=True, default=None, allow_null=True)


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


CREDENTIAL_HELP = "The browser's PublicKeyCredential as JSON (binary fields in base64url)."


class PasskeyAssertionSerializer(serializers.Serializer):
    """A passkey's answer to a challenge from POST /api/auth/passkeys/login/options."""

    challenge_id = serializers.CharField(max_length=64)
    credential = serializers.DictField(help_text=CREDENTIAL_HELP)


class StepUpSerializer(serializers.Serializer):
    """The proof a sensitive action takes: the password (users who have one), and a code
    (users with two-factor on)."""

    password = password_field(required=False, allow_blank=True, default=None, allow_null=True)
    code = step_up_code_field()
    passkey = PasskeyAssertionSerializer(
        required=False,
        default=None,
        allow_null=True,
        help_text="Instead of the code: one of the user's passkeys, answering a challenge from"
        " POST /api/auth/passkeys/login/options.",
    )


class CodeRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=255)


class CodeVerifySerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=255)
    code = serializers.CharField(max_length=16, help_text="The six digits from the mail.")
    remember = serializers.BooleanField(default=True)
    transport = serializers.ChoiceField(TRANSPORTS, default=COOKIE)


class EmailChangeSerializer(StepUpSerializer):
    new_email = serializers.EmailField(max_length=255)


class AccountDeleteSerializer(StepUpSerializer):
    pass


# --- Two-factor authentication --------------------------------------------------------------
class TotpSetupSerializer(serializers.Serializer):
    password = password_field(required=False, allow_blank=True, default=None, allow_null=True)


class TotpConfirmSerializer(serializers.Serializer):
    code = code_field()


class MfaVerifySerializer(serializers.Serializer):
    mfa_token = serializers.CharField(
        max_length=128,
        required=False,
        default="",
        allow_blank=True,
        help_text="From the login's answer; a browser sent here by a social sign-in has the"
        " mfa_pending cookie instead.",
    )
    code = code_field(required=False, allow_blank=True, default="")
    passkey = PasskeyAssertionSerializer(
        required=False, default=None, allow_null=True, help_text="Instead of a code."
    )

    def validate(self, attrs: dict) -> dict:
        if bool(attrs["code"]) == bool(attrs["passkey"]):
            message = "Send either a code or a passkey assertion."
            raise serializers.ValidationError({"code": [message]}, code="required")
        return attrs


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


class MfaRequiredSerializer(serializers.Serializer):
    mfa_required = serializers.BooleanField()
    mfa_token = serializers.CharField(help_text="Post it with a code to /api/auth/mfa/verify.")
    methods = serializers.ListField(child=serializers.CharField())


class MfaStatusSerializer(serializers.Serializer):
    totp = serializers.BooleanField()
    recovery_codes_left = serializers.IntegerField()
    passkeys = serializers.IntegerField()


class TotpSetupAnswerSerializer(serializers.Serializer):
    secret = serializers.CharField(help_text="Base32, for typing into the app by hand.")
    otpauth_uri = serializers.CharField()
    qr_svg = serializers.CharField(help_text="The otpauth URI as a QR code (SVG).")


class RecoveryCodesSerializer(serializers.Serializer):
    recovery_codes = serializers.ListField(
        child=serializers.CharField(), help_text="Shown this once; each works once."
    )


class CsrfSerializer(serializers.Serializer):
    csrfToken = serializers.CharField(help_text="Send it back in X-CSRFToken.")
