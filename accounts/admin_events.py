"""The audit trail in the admin: searchable and filterable, never editable."""

from django.contrib import admin
from django.http import HttpRequest

from accounts.models import AuthEvent


@admin.register(AuthEvent)
class AuthEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "type", "email", "ip_address", "user"]
    list_filter = ["type", "created_at"]
    search_fields = ["email", "ip_address", "user__email"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    list_select_related = ["user"]
    readonly_fields = [f.name for f in AuthEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
