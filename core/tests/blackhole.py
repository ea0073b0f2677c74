"""A server that accepts connections and never answers: a host that has hung."""

import socket
from contextlib import contextmanager


@contextmanager
def blackhole():
    """Yield the port; clients connect (the kernel's backlog accepts them) and then wait."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    try:
        yield server.getsockname()[1]
    finally:
        server.close()
