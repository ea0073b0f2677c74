from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core.signals import request_started

        from accounts import schema  # noqa: F401  registers the OpenAPI extension
        from accounts.audit import audit_limit_reached
        from accounts.mail_worker import mail_worker_start
        from core.ratelimit import limit_reached

        limit_reached.connect(audit_limit_reached, dispatch_uid="accounts.audit")
        # Each serving process delivers the outbox; the WSGI module starts it at boot too.
        request_started.connect(mail_worker_start, dispatch_uid="accounts.mail_worker")


class AdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with our site (its login page shares the sign-in limits)."""

    default = False  # not the default config of the accounts app
    default_site = "accounts.admin_login.AdminSite"
