"""Fixtures of the accounts tests: mail links, committed requests, clients by IP."""

import re

import pytest
from django.core import mail

from accounts.models import AuthEvent

TOKEN_IN_LINK = re.compile(r"\?token=([\w-]+)")


def token_from(message) -> str:
    return TOKEN_IN_LINK.search(message.body).group(1)


def event_types(user=None, **filters) -> list[str]:
    events = AuthEvent.objects.filter(**filters)
    if user is not None:
        events = events.filter(user=user)
    return list(events.order_by("id").values_list("type", flat=True))


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run one request and then its on-commit callbacks (the mails), as a real commit would."""

    def run(method, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return method(*args, **kwargs)

    return run


@pytest.fixture
def outbox():
    return mail.outbox
