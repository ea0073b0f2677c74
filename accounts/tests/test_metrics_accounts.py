"""Sign-ins by method and outcome, login refusals by the limit's action, and mails by outcome,
as the scraper reads them from /metrics."""

import pytest
from django.test import Client

from accounts.tests.helpers import PASSWORD
from core.tests.helpers import free_port
from core.tests.metrics_scrape import TOKEN, scrape, value

pytestmark = pytest.mark.django_db

LOGIN = "/api/auth/login"
FORGOT = "/api/auth/password/forgot"


@pytest.fixture(autouse=True)
def _token(settings):
    settings.METRICS_TOKEN = TOKEN


def grew(before, after, name, **labels) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


def test_sign_ins_are_counted_by_method_and_outcome(api, user):
    before = scrape(Client())
    assert api.post(LOGIN, {"email": user.email, "password": PASSWORD}).status_code == 200
    for _ in range(2):
        assert api.post(LOGIN, {"email": user.email, "password": "wrong"}).status_code == 401
    after = scrape(Client())
    name = "auth_sign_ins_total"
    assert grew(before, after, name, method="password", outcome="signed_in") == 1
    assert grew(before, after, name, method="password", outcome="sign_in_failed") == 2


def test_refused_logins_are_counted_by_the_limit_s_action(api, user):
    before = scrape(Client())
    for _ in range(7):
        api.post(LOGIN, {"email": user.email, "password": "wrong"})
    after = scrape(Client())
    assert grew(before, after, "rate_limited_total", action="login") == 2


def test_mails_are_counted_queued_sent_and_failed(api, commit, user, settings):
    before = scrape(Client())
    assert commit(api.post, FORGOT, {"email": user.email}).status_code == 202
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    assert commit(api.post, FORGOT, {"email": user.email}).status_code == 202
    after = scrape(Client())
    assert grew(before, after, "mail_messages_total", outcome="queued") == 2
    assert grew(before, after, "mail_messages_total", outcome="sent") == 1
    assert grew(before, after, "mail_messages_total", outcome="failed") == 1
