"""Who is calling: the client's IP address and user agent, as far as we can trust them."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

USER_AGENT_MAX_LENGTH = 512


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or the address the N-th trusted proxy saw when TRUSTED_PROXY_COUNT=N.

    X-Forwarded-For is only read when proxies are configured: anyone can send the header."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def client_network(request: HttpRequest) -> str:
    """The client's address as a rate-limit key: IPv6 clients by their /64, which one host
    usually owns whole (so rotating addresses inside it buys nothing)."""
    address = client_ip(request) or "unknown"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def user_agent(request: HttpRequest) -> str | None:
    return request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX_LENGTH] or None
