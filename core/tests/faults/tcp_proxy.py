"""A TCP proxy between the app and its database that can refuse, blackhole and restore."""

import contextlib
import socket
import threading

FORWARD, REFUSE, BLACKHOLE = "forward", "refuse", "blackhole"


class TcpProxy:
    """`refuse`: nothing listens and open connections end. `blackhole`: connections are
    accepted and bytes read, but nothing is forwarded either way. `cut`: open connections end
    (a database restart). `restore`: forward again; connections open during an outage end."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.mode = FORWARD
        self.lock = threading.Lock()
        self.sockets: set[socket.socket] = set()
        self.listener: socket.socket | None = None
        self.port = 0
        self._listen()

    def _listen(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed by refuse()
            with self.lock:
                self.sockets.add(client)
                mode = self.mode
            if mode == BLACKHOLE:
                self._pump(client, None)
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
                server.settimeout(None)
            except OSError:
                self._close(client)
                continue
            with self.lock:
                self.sockets.add(server)
            self._pump(client, server)
            self._pump(server, client)

    def _pump(self, source: socket.socket, target: socket.socket | None) -> None:
        threading.Thread(target=self._copy, args=(source, target), daemon=True).start()

    def _copy(self, source: socket.socket, target: socket.socket | None) -> None:
        try:
            while data := source.recv(65536):
                if target is not None and self.mode != BLACKHOLE:
                    target.sendall(data)
        except OSError:
            pass
        self._close(source)
        if target is not None:
            self._close(target)

    def _close(self, sock: socket.socket) -> None:
        with self.lock:
            self.sockets.discard(sock)
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()

    def cut(self) -> None:
        with self.lock:
            open_sockets = list(self.sockets)
        for sock in open_sockets:
            self._close(sock)

    def refuse(self) -> None:
        self.mode = REFUSE
        if self.listener is not None:
            # shutdown, not only close: it is what wakes the thread blocked in accept().
            with contextlib.suppress(OSError):
                self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
            self.listener = None
        self.cut()

    def blackhole(self) -> None:
        self.mode = BLACKHOLE

    def restore(self) -> None:
        self.cut()
        self.mode = FORWARD
        if self.listener is None:
            self._listen()

    def close(self) -> None:
        self.refuse()
