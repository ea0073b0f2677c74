import pytest
from django.test import RequestFactory

from core.client import client_ip, client_network


def request(remote="203.0.113.7", forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_remote_addr_without_proxies():
    assert client_ip(request()) == "203.0.113.7"


def test_forwarded_for_is_ignored_without_a_configured_proxy():
    assert client_ip(request(forwarded="198.51.100.1")) == "203.0.113.7"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # the client's own entry is spoofable
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
        (2, "198.51.100.1", "203.0.113.7"),  # fewer hops than proxies: keep REMOTE_ADDR
    ],
)
def test_nth_address_from_the_right_behind_n_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(request(forwarded=forwarded)) == expected


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
    ],
)
def test_ipv6_clients_are_keyed_by_their_64(address, network):
    assert client_network(request(remote=address)) == network


@pytest.mark.parametrize(
    "forwarded",
    [
        "not-an-ip",
        "198.51.100.1, " + "9" * 60,
        "198.51.100.1:8080",
        "999.1.1.1",
        "fe80::1%eth0",
        "<script>",
        "198.51.100.1, ",
    ],
)
def test_an_entry_that_is_not_an_address_falls_back_to_the_peer(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1
    expected = "198.51.100.1" if forwarded == "198.51.100.1, " else "203.0.113.7"
    assert client_ip(request(forwarded=forwarded)) == expected


def test_a_peer_address_that_is_not_an_address_is_none():
    assert client_ip(request(remote="unix:/run/gunicorn.sock")) is None
