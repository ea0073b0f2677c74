"""social-auth's strategy (SOCIAL_AUTH_STRATEGY): Django's request and session for the OAuth
state, and the linking pipeline run in one transaction instead of through Django's login."""

from django.db import IntegrityError, transaction
from social_django.strategy import DjangoStrategy


class SocialStrategy(DjangoStrategy):
    def authenticate(self, backend, **kwargs):
        """Run the pipeline directly: our sessions, not django.contrib.auth, sign users in.

        A unique-constraint conflict means a concurrent callback committed the same provider
        account or email first. The whole pipeline runs again in a new transaction and its
        rules, not a lookup by email (CVE-2025-61783), decide what that row means."""
        kwargs.update(strategy=self, storage=self.storage, backend=backend)
        kwargs.pop("request", None)
        try:
            with transaction.atomic():
                return backend.run_authentication(self.request, **kwargs)
        except IntegrityError:
            with transaction.atomic():
                return backend.run_authentication(self.request, **kwargs)
