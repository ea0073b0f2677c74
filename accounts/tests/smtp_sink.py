"""An SMTP server the tests control: accept, stall past the client's timeout, or refuse."""

import asyncio
import threading

from aiosmtpd.controller import Controller

from accounts.tests.test_mail import free_port


class Sink:
    """`mode` "accept" keeps each mail; "stall" waits `stall_seconds`, keeps nothing and
    answers 451; `stop()` closes the port, so connections are refused."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.mode = "accept"
        self.stall_seconds = 3.0
        self.envelopes = []
        self.stalled = threading.Event()  # set when a mail reached a stalling server
        self._controller = None

    async def handle_DATA(self, server, session, envelope):
        if self.mode == "stall":
            self.stalled.set()
            await asyncio.sleep(self.stall_seconds)
            return "451 Try again later"
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def start(self) -> "Sink":
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def recipients(self) -> list[str]:
        return sorted(r for e in self.envelopes for r in e.rcpt_tos)

    def environment(self) -> dict[str, str]:
        return {"EMAIL_URL": f"smtp://127.0.0.1:{self.port}"}


def use_sink(settings, sink: Sink) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
