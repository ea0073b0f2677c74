from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts import schema  # noqa: F401  registers the OpenAPI extension
        from accounts.audit import audit_limit_reached
        from core.ratelimit import limit_reached

        limit_reached.connect(audit_limit_reached, dispatch_uid="accounts.audit")
