"""The `method` of a signed_in or sign_in_failed event; an OAuth sign-in records its provider's
name. Apart from the sign-in service, so that a check that only names its method (a passkey's)
does not import the service, which imports most of the app."""

PASSWORD = "password"
REGISTRATION = "registration"
ADMIN = "admin"
CODE = "code"
PASSKEY = "passkey"
