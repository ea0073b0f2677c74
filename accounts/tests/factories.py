"""Rows of the accounts tables, made the way the app makes them."""

import factory

from accounts.models import AuthSession, OAuthAccount, User
from accounts.sessions import session_create


class UserFactory(factory.django.DjangoModelFactory):
    """A user; without `password` it has none, like one who only signs in with a provider."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        staff = factory.Trait(is_staff=True)
        superuser = factory.Trait(is_staff=True, is_superuser=True)

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Faker("name")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        if extracted:
            obj.set_password(extracted)
        else:
            obj.password = None
        if create:
            obj.save()


class AuthSessionFactory(factory.django.DjangoModelFactory):
    """A session started by the real session service; its plain token is on `.token`.

    Any other field given (`revoked`, `created_at`, `expires_at`…) is written afterwards, as
    time or a revocation would have left the row."""

    class Meta:
        model = AuthSession

    user = factory.SubFactory(UserFactory)
    remember = True

    @classmethod
    def _create(cls, model_class, *, user, remember, **state):
        session, token = session_create(user=user, remember=remember)
        if state:
            model_class.objects.filter(pk=session.pk).update(**state)
            session.refresh_from_db()
        session.token = token
        return session


class OAuthAccountFactory(factory.django.DjangoModelFactory):
    """A linked provider account; tokens, when given, are stored encrypted like real ones."""

    class Meta:
        model = OAuthAccount

    user = factory.SubFactory(UserFactory)
    provider = "google"
    provider_account_id = factory.Sequence(lambda n: str(1000 + n))
