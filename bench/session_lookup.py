"""The session lookup in-process: the hand-written statement against the ORM query it replaces.

Builds a throw-away database (a temporary SQLite file, or --database-url), creates sessions,
then times interleaved rounds of both lookups on the same digests and prints the medians of
CPU time per lookup. Queries are not recorded (DEBUG's record would send the lookup through
Django's cursor, core/single_row.py), and each lookup ends as a request does, its connection
given back (PostgreSQL's pool) or kept (SQLite).

    python bench/session_lookup.py
    python bench/session_lookup.py --database-url postgres://postgres@127.0.0.1:5432/bench_lookup
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--sessions", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--lookups", type=int, default=2_000, help="lookups per round")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    workdir = tempfile.mkdtemp(prefix="bench-lookup-")
    os.environ.setdefault("DEBUG", "true")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import DEFAULT_DB_ALIAS, connections

    from accounts.digests import keyed_digest
    from accounts.models import AuthSession
    from accounts.sessions import _select_session_with_user, session_create
    from accounts.tests.factories import UserFactory

    call_command("migrate", verbosity=0)
    AuthSession.objects.all().delete()
    user = UserFactory()
    tokens = [session_create(user=user)[1] for _ in range(args.sessions)]
    digests = [[keyed_digest(t, settings.AUTH_SESSION_SECRET)] for t in tokens[: args.lookups]]

    settings.DEBUG = False  # after the set-up: DEBUG only spares it production's secrets
    db = connections[DEFAULT_DB_ALIAS]

    def orm(d: list[str]):
        return AuthSession.objects.select_related("user").filter(token_hash__in=d).first()

    timings: dict[str, list[float]] = {"hand-written": [], "ORM": []}
    for _ in range(args.rounds):
        for name, lookup in (("hand-written", _select_session_with_user), ("ORM", orm)):
            start = time.process_time()
            for d in digests:
                lookup(d)
                db.close_if_unusable_or_obsolete()  # a request's end
            timings[name].append((time.process_time() - start) / len(digests) * 1e6)
    for name, values in timings.items():
        print(f"{name:>12}: {statistics.median(values):7.1f} us per lookup (median of rounds)")
    ratio = statistics.median(timings["ORM"]) / statistics.median(timings["hand-written"])
    print(f"ORM / hand-written: {ratio:.2f}")


if __name__ == "__main__":
    main()
