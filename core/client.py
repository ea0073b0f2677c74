"""Who is calling: the client's IP address and user agent, as far as we can trust them."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

USER_AGENT_MAX_LENGTH = 512


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or the address the N-th trusted proxy saw when TRUSTED_PROXY_COUNT=N.

    X-Forwarded-For is only read when proxies are configured: anyone can send the header.
    An entry that is not an IP address did not come from our proxy (it writes the peer's
    address): REMOTE_ADDR is used then, so garbage neither picks a fresh rate-limit key nor
    reaches the ip_address columns."""
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            return _address(forwarded[-proxies]) or peer
    return peer


def _address(text: str) -> str | None:
    """The canonical form of an IP address (at most 39 characters), or None."""
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return None
    if ip.version == 6 and ip.scope_id:
        return None  # "fe80::1%<anything>": a zone is local to the sender and unbounded
    return str(ip)


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
