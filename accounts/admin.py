"""Operators' views of users and sessions; every change goes through the services."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, BaseUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from accounts.email_change import email_change_apply
from accounts.mfa.enrolment import mfa_reset
from accounts.mfa.factors import mfa_enabled
from accounts.models import (
    AuthEvent,
    AuthSession,
    OAuthAccount,
    OutboxMail,
    Passkey,
    User,
    normalize_email,
)
from accounts.passkeys.credentials import passkey_remove_by_operator
from accounts.sessions import session_expired_q, session_revoke, sessions_revoke_for_user
from accounts.users import user_password_set_by_admin

SESSION_FIELDS = ("created_at", "last_used_at", "expires_at", "revoked", "ip_address", "user_agent")


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class SessionInline(ReadOnlyInline):
    model = AuthSession
    fields = readonly_fields = SESSION_FIELDS
    ordering = ("-created_at",)


class LinkedAccountInline(ReadOnlyInline):
    """Never shows tokens: only which provider account is linked, and since when."""

    model = OAuthAccount
    fields = readonly_fields = ("provider", "provider_account_id", "created_at")


PASSKEY_FIELDS = ("name", "created_at", "last_used_at", "backed_up")


class PasskeyInline(ReadOnlyInline):
    """Which passkeys the user has and when each was last used; removed from its own page."""

    model = Passkey
    fields = readonly_fields = PASSKEY_FIELDS
    ordering = ("created_at",)


class UserCreationAdminForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self) -> str:
        return normalize_email(self.cleaned_data["email"])


class PasswordSetAdminForm(AdminPasswordChangeForm):
    def save(self, commit: bool = True) -> User:
        user = super().save(commit=commit)
        if commit:
            user_password_set_by_admin(user=user)
        return user


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        """Stored as sign-in looks it up, and unique in any case."""
        email = normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email=email).exclude(pk=self.instance.pk).exists():
            raise ValidationError("Another account has this email address.")
        return email


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    change_password_form = PasswordSetAdminForm
    ordering = ("-created_at",)
    list_display = (
        "email",
        "name",
        "email_verified_at",
        "two_factor",
        "is_active",
        "is_staff",
        "created_at",
    )
    list_filter = (
        "is_active",
        "is_staff",
        "is_superuser",
        ("email_verified_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("email", "name")
    readonly_fields = ("created_at", "updated_at", "last_login", "two_factor")
    fieldsets = (
        (None, {"fields": ("email", "name", "password")}),
        (
            "Status",
            {
                "fields": (
                    "is_active",
                    "email_verified_at",
                    "onboarding_completed",
                    "two_factor",
                )
            },
        ),
        ("Permissions", {"fields": ("is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "created_at", "updated_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ("groups", "user_permissions")
    inlines = (SessionInline, LinkedAccountInline, PasskeyInline)
    actions = ("revoke_all_sessions", "reset_two_factor")

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:
        """A new address goes through the change-of-address service, as the owner's would:
        old links die, the old address is told and can take the account back."""
        old_email = form.initial.get("email") if change else None
        new_email = obj.email
        if old_email is not None and new_email != old_email:
            obj.email = old_email
            super().save_model(request, obj, form, change)
            email_change_apply(request=request, user=obj, new_email=new_email, actor="admin")
            return
        super().save_model(request, obj, form, change)

    def get_inlines(self, request: HttpRequest, obj: User | None):
        return self.inlines if obj else ()

    @admin.action(description="Revoke all sessions of the selected users")
    def revoke_all_sessions(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        revoked = sum(
            sessions_revoke_for_user(user=user, actor="admin", request=request) for user in queryset
        )
        self.message_user(request, f"Revoked {revoked} session(s).", messages.SUCCESS)

    @admin.display(boolean=True, description="two-factor")
    def two_factor(self, user: User) -> bool:
        return mfa_enabled(user)

    @admin.action(description="Reset two-factor authentication of the selected users")
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """For a user who lost their authenticator and recovery codes, once an operator has
        checked who they are: two-factor goes off and every session ends."""
        users = [user for user in queryset if mfa_enabled(user)]
        for user in users:
            mfa_reset(user=user, actor="admin", request=request)
        self.message_user(
            request, f"Reset two-factor authentication of {len(users)} user(s).", messages.SUCCESS
        )


class SessionStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin):
        return (("active", "active"), ("expired", "expired"), ("revoked", "revoked"))

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuthSession]):
        expired = session_expired_q(timezone.now())
        if self.value() == "revoked":
            return queryset.filter(revoked=True)
        if self.value() == "expired":
            return queryset.filter(expired, revoked=False)
        if self.value() == "active":
            return queryset.filter(revoked=False).exclude(expired)
        return queryset


@admin.register(AuthSession)
class AuthSessionAdmin(admin.ModelAdmin):
    list_display = ("user", *SESSION_FIELDS)
    list_filter = (SessionStateFilter,)
    search_fields = ("user__email", "ip_address")
    list_select_related = ("user",)
    ordering = ("-created_at",)
    fields = readonly_fields = ("user", *SESSION_FIELDS)
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Revoke the selected sessions")
    def revoke(self, request: HttpRequest, queryset: QuerySet[AuthSession]) -> None:
        revoked = sum(
            session_revoke(session=session, actor="admin", request=request) for session in queryset
        )
        self.message_user(request, f"Revoked {revoked} session(s).", messages.SUCCESS)


@admin.register(OAuthAccount)
class OAuthAccountAdmin(admin.ModelAdmin):
    """Links, never their tokens: the admin shows only whether a token is stored."""

    list_display = ["provider", "provider_account_id", "user", "has_access_token", "expires_at"]
    list_filter = ["provider"]
    search_fields = ["provider_account_id", "user__email"]
    fields = ["user", "provider", "provider_account_id", "has_access_token", "has_refresh_token"]
    fields += ["expires_at", "scope", "token_type", "created_at", "updated_at"]
    readonly_fields = [f for f in fields if f != "user"]
    raw_id_fields = ["user"]

    @admin.display(boolean=True)
    def has_access_token(self, account: OAuthAccount) -> bool:
        return bool(account.access_token)

    @admin.display(boolean=True)
    def has_refresh_token(self, account: OAuthAccount) -> bool:
        return bool(account.refresh_token)


@admin.register(Passkey)
class PasskeyAdmin(admin.ModelAdmin):
    """Passkeys are never edited (their key is the authenticator's); a lost or stolen one is
    deleted, through the service that audits it."""

    list_display = ("name", "user", *PASSKEY_FIELDS[1:])
    search_fields = ("name", "user__email")
    list_select_related = ("user",)
    ordering = ("-created_at",)
    fields = readonly_fields = ("user", *PASSKEY_FIELDS, "sign_count", "transports")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: Passkey) -> None:
        passkey_remove_by_operator(passkey=obj, request=request)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Passkey]) -> None:
        for passkey in queryset.select_related("user"):
            passkey_remove_by_operator(passkey=passkey, request=request)


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record operators read but never write: the audit trail, the mail outbox."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


# The audit trail: searchable and filterable, never editable.
@admin.register(AuthEvent)
class AuthEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "type", "email", "ip_address", "user"]
    list_filter = ["type", "created_at"]
    search_fields = ["email", "ip_address", "user__email"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    list_select_related = ["user"]
    readonly_fields = [f.name for f in AuthEvent._meta.fields]


@admin.register(OutboxMail)
class OutboxMailAdmin(ReadOnlyAdmin):
    """What is queued and what failed; never the body, whose link is a live token."""

    list_display = ("pk", "template", "to", "status", "attempts", "next_attempt_at", "sent_at")
    list_filter = ("status", "template")
    search_fields = ("to",)
    fields = readonly_fields = (
        "template",
        "to",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "lease_until",
        "claimed_by",
        "last_error",
        "created_at",
        "sent_at",
    )
    ordering = ("-pk",)
