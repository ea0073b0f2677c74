"""The rate limits of the account routes (the machinery is core.ratelimit)."""

from core.ratelimit import Limit

LOGIN_PER_IP_EMAIL = Limit("login", "ip-email", "5/m")
LOGIN_PER_IP = Limit("login", "ip", "30/m")
# Only failed sign-ins count here: peeked before the password check, counted after a failure.
LOGIN_FAILURES_PER_EMAIL = Limit("login-failed", "email", "10/15m")
# A browser with the account's device cookie is spared the lockout above and spends this
# budget of its own instead; once spent, it is a stranger again.
LOGIN_FAILURES_PER_DEVICE = Limit("login-failed", "device", "5/15m")
REGISTER_PER_IP = Limit("register", "ip", "5/h")
FORGOT_PER_EMAIL = Limit("password-forgot", "email", "3/h")
FORGOT_PER_IP = Limit("password-forgot", "ip", "10/h")
RESEND_PER_EMAIL = Limit("email-resend", "email", "3/h")
RESEND_PER_IP = Limit("email-resend", "ip", "10/h")
# Each change request mails an address the user chooses, so it is limited like the other
# mail-sending routes.
EMAIL_CHANGE_PER_USER = Limit("email-change", "user", "3/h")
EMAIL_CHANGE_PER_IP = Limit("email-change", "ip", "10/h")
RESET_PER_IP = Limit("password-reset", "ip", "10/m")
VERIFY_PER_IP = Limit("email-verify", "ip", "10/m")
# Wrong second-factor codes, from any way in (sign-in, step-up, the admin): a code has only a
# million values, so the user's budget is small, whichever session or challenge asks.
MFA_FAILURES_PER_USER = Limit("mfa-failed", "user", "10/15m")
MFA_VERIFY_PER_IP = Limit("mfa-verify", "ip", "30/m")
# Each code request mails the address given, so it is limited like the other mail routes.
CODE_REQUEST_PER_EMAIL = Limit("code-request", "email", "3/h")
CODE_REQUEST_PER_IP = Limit("code-request", "ip", "10/h")
# Every login options request holds a challenge in the cache for minutes.
PASSKEY_OPTIONS_PER_IP = Limit("passkey-options", "ip", "30/m")
