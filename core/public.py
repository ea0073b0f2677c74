"""Marking a view public: outside the /api/ guard, in the spirit of Django's
`login_not_required`. The mark sits on the view, so opening a route is a visible change there.

No DRF import here: the guard imports this module, and DRF's views import the guard's
authentication class through its settings (core.views holds the DRF base view)."""

from collections.abc import Callable
from typing import TypeVar

PUBLIC = "api_public"
ORIGIN_CHECKED = "api_origin_checked"

V = TypeVar("V", bound=Callable)


def public_view(view_func: V, *, origin_checked: bool = False) -> V:
    """Serve the view without a session; `origin_checked` also refuses browser posts from
    untrusted origins (login CSRF and the like), since no CSRF token protects them."""
    setattr(view_func, PUBLIC, True)
    setattr(view_func, ORIGIN_CHECKED, origin_checked)
    return view_func


def view_is_public(view_func: Callable) -> bool:
    return getattr(view_func, PUBLIC, False)


def view_is_origin_checked(view_func: Callable) -> bool:
    return getattr(view_func, ORIGIN_CHECKED, False)
