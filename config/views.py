"""Project-level pages: the landing page and the API's Swagger UI."""

from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularSwaggerSplitView


class IndexView(TemplateView):
    template_name = "pages/index.html"


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI is a page to read: its HTML renderer has no template for OPTIONS' metadata."""

    http_method_names = ["get", "head"]
