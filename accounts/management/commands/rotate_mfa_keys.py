"""Re-encrypt every stored TOTP secret under the first of MFA_TOTP_KEYS (after a new key was
put first); safe to rerun. The same work as rotate_oauth_keys, on the authenticators' table."""

from accounts.management.commands import rotate_oauth_keys
from accounts.models import TotpDevice


class Command(rotate_oauth_keys.Command):
    help = "Re-encrypt TOTP secrets under the first key of MFA_TOTP_KEYS, in batches."
    model = TotpDevice
    fields = ("secret",)
    keys_setting = "MFA_TOTP_KEYS"
    noun = "authenticator(s)"
