"""The OpenAPI schema and its two readers."""

from drf_spectacular.renderers import (
    OpenApiJsonRenderer,
    OpenApiJsonRenderer2,
    OpenApiYamlRenderer,
    OpenApiYamlRenderer2,
)
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)


class SchemaView(SpectacularAPIView):
    """JSON first, as application/json, so a browser shows the schema instead of saving a
    file; YAML with ?format=yaml or Accept: application/yaml."""

    renderer_classes = [
        OpenApiJsonRenderer2,
        OpenApiJsonRenderer,
        OpenApiYamlRenderer,
        OpenApiYamlRenderer2,
    ]


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI, its init script at ?script (no inline script); a page to read: its HTML
    renderer has no template for OPTIONS' metadata."""

    http_method_names = ["get", "head"]


class ApiRedocView(SpectacularRedocView):
    """ReDoc, with a head that loads no web fonts from outside."""

    http_method_names = ["get", "head"]
    template_name = "api/redoc.html"
