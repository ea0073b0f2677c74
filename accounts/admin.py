from accounts import admin_events  # noqa: F401
