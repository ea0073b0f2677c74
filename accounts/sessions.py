"""The session service: create, look up, touch, revoke and purge our own sessions."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from accounts.admin_sessions import admin_sessions_end
from accounts.audit import audit_record
from accounts.digests import digests_equal, keyed_digest, random_token
from accounts.models import AuthSession, User
from core.client import client_ip, user_agent
from core.database import database_read
from core.purge import purge_in_batches
from core.single_row import fetch_row

# How the client holds its session token: our cookie, or an `Authorization: Bearer` header
# (asked for at sign-in with `"transport": "token"`).
Transport = Literal["cookie", "token"]
COOKIE: Transport = "cookie"
TOKEN: Transport = "token"
Actor = Literal["user", "admin", "command", "system"]

NOT_AUTHENTICATED = "not_authenticated"
SESSION_EXPIRED = "session_expired"
SESSION_REVOKED = "session_revoked"


@dataclass(frozen=True)
class SessionLookup:
    """The outcome of reading a request's credentials; `failure` is an API error code."""

    session: AuthSession | None
    transport: Transport | None = None
    failure: str | None = None


ANONYMOUS = SessionLookup(session=None, failure=NOT_AUTHENTICATED)


def session_create(
    *, user: User, request: HttpRequest | None = None, remember: bool = True
) -> tuple[AuthSession, str]:
    """Start a fresh session; the plain session token is returned here and never stored."""
    token = random_token()
    now = timezone.now()
    lifetime = settings.AUTH_SESSION_MAX_AGE if remember else settings.AUTH_SESSION_SHORT_MAX_AGE
    session = AuthSession.objects.create(
        user=user,
        token_hash=keyed_digest(token, settings.AUTH_SESSION_SECRET),
        last_used_at=now,
        expires_at=now + lifetime,
        ip_address=client_ip(request) if request else None,
        user_agent=user_agent(request) if request else None,
    )
    return session, token


def session_idle_expires_at(session: AuthSession) -> datetime:
    return min(session.last_used_at + settings.AUTH_SESSION_IDLE_TIMEOUT, session.expires_at)


def session_is_active(session: AuthSession, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return not session.revoked and now < session_idle_expires_at(session)


def token_from_request(request: HttpRequest) -> tuple[str | None, Transport | None]:
    """A bearer header wins over the cookie: it is what non-browser clients send on purpose."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip(), TOKEN
    cookie = request.COOKIES.get(settings.AUTH_SESSION_COOKIE_NAME)
    if cookie:
        return cookie, COOKIE
    return None, None


def session_from_request(request: HttpRequest) -> SessionLookup:
    """Resolve the request's session once; the middleware and DRF share the result."""
    cached = getattr(request, "_session_lookup", None)
    if cached is None:
        token, transport = token_from_request(request)
        cached = session_lookup(token, transport=transport) if token else ANONYMOUS
        request._session_lookup = cached
    return cached


def session_lookup(token: str, *, transport: Transport | None = None) -> SessionLookup:
    """Validate a token: one indexed SELECT, plus a rare UPDATE to refresh last_used_at."""
    secrets_in_use = [settings.AUTH_SESSION_SECRET, *settings.AUTH_SESSION_SECRET_FALLBACKS]
    digests = [keyed_digest(token, secret) for secret in secrets_in_use]
    session = _select_session_with_user(digests)
    if session is None or not session.user.is_active:
        return ANONYMOUS
    if session.revoked:
        return SessionLookup(session=None, transport=transport, failure=SESSION_REVOKED)
    now = timezone.now()
    if not session_is_active(session, now=now):
        return SessionLookup(session=None, transport=transport, failure=SESSION_EXPIRED)
    if not digests_equal(session.token_hash, digests[0]):
        _rehash(session, digests[0])
    if now - session.last_used_at >= settings.AUTH_SESSION_TOUCH_INTERVAL:
        _touch(session, now)
    return SessionLookup(session=session, transport=transport)


def _touch(session: AuthSession, now: datetime) -> None:
    """Conditional, so concurrent requests of one session write at most once."""
    AuthSession.objects.filter(pk=session.pk, last_used_at=session.last_used_at).update(
        last_used_at=now, updated_at=now
    )
    session.last_used_at = now


def _rehash(session: AuthSession, digest: str) -> None:
    """Move a session found under a fallback secret onto the current one."""
    AuthSession.objects.filter(pk=session.pk).update(token_hash=digest)
    session.token_hash = digest


class _SessionQuery:
    """The hot path's one statement, joined and converted without the ORM's query building.

    Profiling showed the ORM's per-call compilation costing more than the query itself, so the
    SQL and the field converters are prepared once per database connection's vendor."""

    def __init__(self, db: BaseDatabaseWrapper) -> None:
        ops = db.ops
        quote = ops.quote_name
        session_meta, user_meta = AuthSession._meta, User._meta
        self.session_fields = session_meta.concrete_fields
        self.user_fields = user_meta.concrete_fields
        self.session_attnames = [f.attname for f in self.session_fields]
        self.user_attnames = [f.attname for f in self.user_fields]
        columns = [f"s.{quote(f.column)}" for f in self.session_fields] + [
            f"u.{quote(f.column)}" for f in self.user_fields
        ]
        # Identifiers come from model metadata and the digests are bound parameters.
        user_fk = session_meta.get_field("user").column
        token_hash = session_meta.get_field("token_hash").column
        self.sql_head = (
            f"SELECT {', '.join(columns)} FROM {quote(session_meta.db_table)} s "  # noqa: S608
            f"INNER JOIN {quote(user_meta.db_table)} u "
            f"ON u.{quote(user_meta.pk.column)} = s.{quote(user_fk)} "
            f"WHERE s.{quote(token_hash)} IN "
        )
        self.sql_by_count: dict[int, str] = {}
        self.converters = []
        for position, field in enumerate([*self.session_fields, *self.user_fields]):
            column = field.get_col(field.model._meta.db_table)
            found = ops.get_db_converters(column) + column.get_db_converters(db)
            if found:
                self.converters.append((position, found, column))

    def fetch(self, db: BaseDatabaseWrapper, digests: list[str]) -> AuthSession | None:
        sql = self.sql_by_count.get(len(digests))
        if sql is None:  # one per number of secrets; the same object each time (fetch_row)
            sql = self.sql_head + "(" + ", ".join(["%s"] * len(digests)) + ")"
            self.sql_by_count[len(digests)] = sql
        row = fetch_row(db, sql, digests)
        if row is None:
            return None
        values = list(row)
        for position, converters, column in self.converters:
            for convert in converters:
                values[position] = convert(values[position], column, db)
        split = len(self.session_fields)
        session = AuthSession.from_db(db.alias, self.session_attnames, values[:split])
        session.user = User.from_db(db.alias, self.user_attnames, values[split:])
        return session


_queries: dict[str, _SessionQuery] = {}


def _select_session_with_user(digests: list[str]) -> AuthSession | None:
    # The connection itself, not django.db.connection: each attribute read through that proxy
    # looks the connection up again.
    db = connections[DEFAULT_DB_ALIAS]
    query = _queries.get(db.vendor)
    if query is None:
        query = _queries[db.vendor] = _SessionQuery(db)
    # The first read of most requests: a connection dropped by a restart costs a reconnect.
    return database_read(lambda: query.fetch(db, digests), db)


def session_expired_q(at: datetime) -> Q:
    """Sessions past their absolute or idle expiry at `at`: session_is_active, in SQL."""
    return Q(expires_at__lte=at) | Q(last_used_at__lte=at - settings.AUTH_SESSION_IDLE_TIMEOUT)


def sessions_active_for_user(user: User) -> QuerySet[AuthSession]:
    """The user's live sessions, newest first."""
    live = AuthSession.objects.filter(user=user, revoked=False)
    return live.exclude(session_expired_q(timezone.now())).order_by("-created_at")


def session_revoke(
    *, session: AuthSession, actor: Actor = "system", request: HttpRequest | None = None
) -> bool:
    """Revoke one session; False when it was already revoked. `actor` goes to the audit."""
    revoked = _revoke(AuthSession.objects.filter(pk=session.pk))
    if revoked:
        audit_record(
            "session_revoked",
            request=request,
            user=session.user,
            by=actor,
            session_id=str(session.pk),
        )
    return bool(revoked)


def session_sign_out(*, session: AuthSession, request: HttpRequest | None = None) -> None:
    """The user ending their own session: recorded as a sign-out, not a revocation."""
    if _revoke(AuthSession.objects.filter(pk=session.pk)):
        audit_record("signed_out", request=request, user=session.user, session_id=str(session.pk))


def sessions_revoke_for_user(
    *,
    user: User,
    keep: AuthSession | None = None,
    actor: Actor = "system",
    request: HttpRequest | None = None,
    reason: str = "",
) -> int:
    """Revoke every session of the user but `keep` and end their admin sign-ins (Django
    sessions); returns how many API sessions were revoked."""
    sessions = AuthSession.objects.filter(user=user)
    if keep is not None:
        sessions = sessions.exclude(pk=keep.pk)
    revoked = _revoke(sessions)
    admin_sessions_end(user=user)
    if revoked:
        extra = {"reason": reason} if reason else {}
        audit_record(
            "session_revoked", request=request, user=user, by=actor, count=revoked, **extra
        )
    return revoked


def sessions_revoke_all(*, actor: Actor = "command") -> int:
    revoked = _revoke(AuthSession.objects.all())
    admin_sessions_end()
    if revoked:
        audit_record("session_revoked", by=actor, count=revoked, scope="all")
    return revoked


def _revoke(sessions: QuerySet[AuthSession]) -> int:
    return sessions.filter(revoked=False).update(revoked=True, updated_at=timezone.now())


def sessions_purge(*, older_than: timedelta = timedelta(0), batch_size: int = 1000) -> int:
    """Delete revoked and expired rows (expired at least `older_than` ago), in batches."""
    cutoff = timezone.now() - older_than
    dead = Q(revoked=True, updated_at__lt=cutoff) | session_expired_q(cutoff)
    return purge_in_batches(AuthSession.objects.filter(dead), batch_size=batch_size)
