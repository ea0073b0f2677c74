"""The accounts tables. users, auth_sessions and oauth_accounts keep the replaced service's
names and columns so that an existing database can be taken over with migrate --fake-initial."""

import uuid

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone

from accounts.encryption import EncryptedTextField
from accounts.passwords import normalize_legacy_hash


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        user = self.model(email=normalize_email(email), **fields)
        if password:
            user.set_password(password)
        else:
            user.password = None
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


def normalize_email(email: str) -> str:
    """Store and compare addresses in one case: the seed's unique index is case-sensitive."""
    return email.strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(max_length=255, unique=True)
    name = models.CharField(max_length=255, blank=True, default="")
    password = models.CharField(max_length=255, null=True, blank=True, db_column="password_hash")
    email_verified_at = models.DateTimeField(null=True, blank=True)
    onboarding_completed = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        db_table = "users"

    def __str__(self) -> str:
        return self.email

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def has_usable_password(self) -> bool:
        return bool(self.password) and super().has_usable_password()

    def check_password(self, raw_password: str) -> bool:
        """Accept the replaced service's bare argon2-cffi hashes; Django upgrades them."""
        if self.password:
            self.password = normalize_legacy_hash(self.password)
        return super().check_password(raw_password)


class AuthSession(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="auth_sessions"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked = models.BooleanField(default=False)
    ip_address = models.CharField(max_length=45, null=True, blank=True)
    user_agent = models.CharField(max_length=512, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "auth_sessions"
        indexes = [models.Index(fields=["user", "-created_at"], name="auth_sessions_user_created")]

    def __str__(self) -> str:
        return f"session {self.id} of {self.user_id}"


class OAuthAccount(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oauth_accounts"
    )
    provider = models.CharField(max_length=50)
    provider_account_id = models.CharField(max_length=255)
    access_token = EncryptedTextField(null=True, blank=True)
    refresh_token = EncryptedTextField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    scope = models.TextField(null=True, blank=True)
    token_type = models.CharField(max_length=50, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "oauth_accounts"
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_account_id"],
                name="oauth_accounts_provider_account_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.provider_account_id}"


class VerificationToken(models.Model):
    """A single-use emailed token; only its digest is stored."""

    class Purpose(models.TextChoices):
        VERIFY_EMAIL = "verify_email"
        RESET_PASSWORD = "reset_password"
        CHANGE_EMAIL = "change_email"
        RECOVER_ACCOUNT = "recover_account"  # new_email holds the address to restore

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verification_tokens"
    )
    purpose = models.CharField(max_length=32, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    new_email = models.EmailField(max_length=255, null=True, blank=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "verification_tokens"
        indexes = [models.Index(fields=["user", "purpose"], name="verif_tokens_user_purpose")]

    def __str__(self) -> str:
        return f"{self.purpose} token for {self.user_id}"


class TotpDevice(models.Model):
    """A user's authenticator app: on once `confirmed_at` is set by a first correct code.

    `last_used_step` is the newest time step a code was accepted for: a code of that step or
    an older one is refused, so an overheard code cannot be replayed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="totp"
    )
    secret = EncryptedTextField(keys_setting="MFA_TOTP_KEYS")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "mfa_totp_devices"

    def __str__(self) -> str:
        return f"authenticator of {self.user_id}"


class RecoveryCode(models.Model):
    """One single-use recovery code; only its digest is stored."""

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "mfa_recovery_codes"
        indexes = [models.Index(fields=["user", "code_hash"], name="mfa_recovery_user_hash")]

    def __str__(self) -> str:
        return f"recovery code of {self.user_id}"


class MfaChallenge(models.Model):
    """A sign-in whose first factor was proved and whose second is awaited: the mfa_token
    (or mfa_pending cookie) is its key, stored as a digest, and it remembers how the session
    is to be handed over once the code comes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mfa_challenges"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    method = models.CharField(max_length=32)
    transport = models.CharField(max_length=10)
    remember = models.BooleanField(default=True)
    failures = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "mfa_challenges"

    def __str__(self) -> str:
        return f"second-factor challenge of {self.user_id}"


class LoginCode(models.Model):
    """The one open sign-in code of a user (a new request replaces it); only its keyed
    digest is stored, since six digits alone are quickly enumerated."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "login_codes"

    def __str__(self) -> str:
        return f"sign-in code for {self.user_id}"


class Passkey(models.Model):
    """A WebAuthn credential: its public key and signature counter, never a secret."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="passkeys"
    )
    # base64url of the authenticator's credential id (at most 1023 bytes)
    credential_id = models.CharField(max_length=1400, unique=True)
    public_key = models.BinaryField()  # COSE_Key, as the authenticator encoded it
    sign_count = models.PositiveBigIntegerField(default=0)
    name = models.CharField(max_length=100)
    backed_up = models.BooleanField(default=False)
    transports = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "passkeys"
        indexes = [models.Index(fields=["user", "created_at"], name="passkeys_user_created")]

    def __str__(self) -> str:
        return f"passkey {self.name!r} of {self.user_id}"


class OnboardingProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="onboarding_profile",
    )
    role = models.CharField(max_length=100, blank=True, default="")
    interests = models.JSONField(default=list, blank=True)
    completed_steps = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "onboarding_profiles"

    def __str__(self) -> str:
        return f"onboarding of {self.user_id}"


class AuthEvent(models.Model):
    """One security-relevant event, kept for the user's own history and for operators."""

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="auth_events",
    )
    type = models.CharField(max_length=64)
    email = models.EmailField(max_length=255, blank=True, default="")
    ip_address = models.CharField(max_length=45, null=True, blank=True)
    user_agent = models.CharField(max_length=512, null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        db_table = "auth_events"
        indexes = [models.Index(fields=["user", "-created_at"], name="auth_events_user_created")]

    def __str__(self) -> str:
        return f"{self.type} at {self.created_at:%Y-%m-%d %H:%M:%S}"


class OutboxMail(models.Model):
    """A mail a commit promised, kept until the mail server accepted it (accounts/mail.py).

    The rendered body carries single-use links: it is blanked once the mail is sent."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        SENT = "sent"
        FAILED = "failed"

    template = models.CharField(max_length=50)
    to = models.EmailField(max_length=255)
    subject = models.CharField(max_length=255)
    body_text = models.TextField(blank=True, default="")
    body_html = models.TextField(blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # A delivery holds the row until lease_until; a worker that dies lets it lapse.
    lease_until = models.DateTimeField(null=True, blank=True)
    claim = models.UUIDField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True, default="")
    last_error = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "mail_outbox"
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="mail_outbox_due")]

    def __str__(self) -> str:
        return f"{self.template} to {self.to} ({self.status})"
