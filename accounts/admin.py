from django.contrib import admin

from accounts.models import OAuthAccount


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
