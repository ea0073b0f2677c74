from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.views.onboarding import OnboardingView
from config.views import HealthView, IndexView

urlpatterns = [
    path("", IndexView.as_view(), name="index"),
    path("admin/", admin.site.urls),
    path("api/health", HealthView.as_view(), name="health"),
    path("api/auth/", include("accounts.urls")),
    path("api/onboarding", OnboardingView.as_view(), name="onboarding"),
    # The chatbot (issue 5)
    path("api/", include("chatbot.urls")),
    path("api/schema", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

handler400 = "accounts.errors.handler400"
handler403 = "accounts.errors.handler403"
handler404 = "accounts.errors.handler404"
handler500 = "accounts.errors.handler500"
