"""The system checks this project silences, each for a stated reason, all in one place."""

from config.settings.base import REDIS_URL
from config.settings.security import SECURE_HSTS_PRELOAD

SILENCED_SYSTEM_CHECKS = []
if REDIS_URL:
    # django-ratelimit's list of supported backends predates Django's own RedisCache, which
    # counts with Redis INCR: atomic and shared by every worker, all the limits need.
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.W001")
else:
    # Without Redis only DEBUG starts (base refuses otherwise), on the in-process cache:
    # `make run` serves from one process, whose own memory counts every request, so neither
    # "not shared" (E003) nor "not supported" (W001) is news on every command. E003 stays on
    # wherever Redis is set.
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003", "django_ratelimit.W001"]
if not SECURE_HSTS_PRELOAD:
    # Preloading is a commitment that outlives this deployment (removal from browsers takes
    # months): an operator's choice, so the deploy check does not nag for it.
    SILENCED_SYSTEM_CHECKS.append("security.W021")
