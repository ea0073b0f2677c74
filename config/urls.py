from django.contrib import admin
from django.urls import include, path

from accounts.views.onboarding import OnboardingView
from config.views import ApiDocsView, ApiRedocView, SchemaView
from core.health import HealthView, LiveView
from core.metrics_view import metrics_view
from core.public import public_view

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/health", HealthView.as_view(), name="health"),
    path("api/health/live", LiveView.as_view(), name="health-live"),
    path("metrics", metrics_view, name="metrics"),
    path("api/auth/", include("accounts.urls")),
    path("api/onboarding", OnboardingView.as_view(), name="onboarding"),
    path("api/", include("chatbot.urls")),
    path("api/schema", public_view(SchemaView.as_view()), name="api-schema"),
    path(
        "api/docs",
        public_view(ApiDocsView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path(
        "api/redoc",
        public_view(ApiRedocView.as_view(url_name="api-schema")),
        name="api-redoc",
    ),
    path("", include("web.urls")),
]

handler400 = "core.errors.handler400"
handler403 = "core.errors.handler403"
handler404 = "core.errors.handler404"
handler500 = "core.errors.handler500"
