"""Fail fast when the development server's address is taken, before minutes of installing.

Runs with the system Python (no virtualenv yet), so it uses the standard library only."""

import socket
import sys


def main(host: str, port: str) -> int:
    """Bind the address as runserver will (SO_REUSEADDR, so a closing socket is no obstacle)."""
    host = host.strip("[]")
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, int(port), 0, socket.SOCK_STREAM
        )[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as error:
        print(
            f"{host}:{port} is not free ({error.strerror or error}). Another server is using it: "
            f"stop it, or pick another port, e.g. make run PORT={int(port) + 1}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
