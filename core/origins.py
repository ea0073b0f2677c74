"""Which web origins we trust: CORS_ORIGINS, the frontend and the backend itself."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest


def trusted_origins() -> set[str]:
    return set(settings.CSRF_TRUSTED_ORIGINS)


def origin_of(url: str) -> str | None:
    """scheme://host[:port] of an absolute http(s) URL, or None for anything else."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc or "@" in parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def url_is_trusted(url: str) -> bool:
    """True for an absolute URL on a trusted origin; relative and odd URLs are refused."""
    origin = origin_of(url)
    return origin is not None and origin in {o.lower() for o in trusted_origins()}


def request_origin_is_trusted(request: HttpRequest) -> bool:
    """A browser's Origin header must name a trusted origin or this server itself."""
    origin = request.META.get("HTTP_ORIGIN")
    if origin is None:
        return True
    own = f"{request.scheme}://{request.get_host()}".lower()
    return origin.lower() == own or url_is_trusted(origin)
