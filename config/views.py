"""Project-level pages: the landing page."""

from django.views.generic import TemplateView


class IndexView(TemplateView):
    template_name = "pages/index.html"
