"""The pages people use. Each is a template and an ES module that calls the public API from
the browser like any other frontend: these views render no user data and need no session
(they live outside /api/, where the session guard does not apply; a page that needs one asks
GET /api/auth/me and sends the browser to /login when it answers 401)."""

from django.views.generic import TemplateView

from accounts.social.backends import provider_configured

PROVIDERS = {"google": "Google", "github": "GitHub"}


class PageView(TemplateView):
    """A page and its module; `script` names the module under web/js/."""

    script = ""
    title = ""

    def get_context_data(self, **kwargs) -> dict:
        return {
            **super().get_context_data(**kwargs),
            "script": f"web/js/{self.script}.js",
            "title": self.title,
            # Only the configured ones get a button: the others answer 404.
            "providers": [
                {"id": key, "name": name}
                for key, name in PROVIDERS.items()
                if provider_configured(key)
            ],
        }
