"""Staff views of the book's passages and of readers' conversations, both read-only."""

from django.contrib import admin
from django.http import HttpRequest

from chatbot.models import Conversation, Message, Passage


class ReadOnlyAdminMixin:
    """Passages change only through ingest_book; conversations only through their owner."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Passage)
class PassageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("file", "ordinal", "anchor", "embedding_model")
    list_filter = ("file",)
    list_select_related = ("file",)
    search_fields = ("text", "anchor", "file__path")
    fields = readonly_fields = (
        "file",
        "ordinal",
        "heading_path",
        "anchor",
        "text",
        "file_hash",
        "embedding_model",
    )


class MessageInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Message
    extra = 0
    ordering = ("created_at",)
    fields = readonly_fields = ("created_at", "role", "content", "generator", "sources")


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "user", "created_at", "updated_at")
    list_select_related = ("user",)
    search_fields = ("title", "user__email")
    ordering = ("-updated_at",)
    fields = readonly_fields = ("id", "user", "title", "created_at", "updated_at")
    inlines = (MessageInline,)
