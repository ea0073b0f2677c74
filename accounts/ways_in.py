"""Whether a user can still sign in once one way in is gone: the rule behind refusing to
unlink the last provider or delete the last passkey."""

from accounts.models import OAuthAccount, Passkey, User


def way_in_remains(
    *, user: User, without_provider: str | None = None, without_passkey: Passkey | None = None
) -> bool:
    """A password, a linked provider or a passkey left, besides the one about to go.

    An emailed code is not counted: it is a way back for every address, not a way the user
    chose, and an account left with only it would hang on the mailbox alone."""
    if user.has_usable_password():
        return True
    links = OAuthAccount.objects.filter(user=user)
    if without_provider is not None:
        links = links.exclude(provider=without_provider)
    passkeys = Passkey.objects.filter(user=user)
    if without_passkey is not None:
        passkeys = passkeys.exclude(pk=without_passkey.pk)
    return links.exists() or passkeys.exists()
