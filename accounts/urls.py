from django.urls import path

from accounts.views import (
    audit,
    email_change,
    email_verification,
    links,
    login_codes,
    mfa,
    passkeys,
    password_reset,
    registration,
    sessions,
    signin,
    social,
    users,
)

urlpatterns = [
    # First: every signed-in page asks for it, and Django tries the patterns in order.
    path("me", users.MeView.as_view(), name="auth-me"),
    path("csrf", signin.CsrfView.as_view(), name="auth-csrf"),
    path("register", registration.RegisterView.as_view(), name="auth-register"),
    path("login", signin.LoginView.as_view(), name="auth-login"),
    path("logout", signin.LogoutView.as_view(), name="auth-logout"),
    path("code/request", login_codes.CodeRequestView.as_view(), name="auth-code-request"),
    path("code/verify", login_codes.CodeVerifyView.as_view(), name="auth-code-verify"),
    path("password/change", users.PasswordChangeView.as_view(), name="auth-password-change"),
    path("sessions", sessions.SessionListView.as_view(), name="auth-sessions"),
    path(
        "sessions/revoke-others",
        sessions.RevokeOtherSessionsView.as_view(),
        name="auth-sessions-revoke-others",
    ),
    path(
        "sessions/revoke-all",
        sessions.RevokeAllSessionsView.as_view(),
        name="auth-sessions-revoke-all",
    ),
    path(
        "sessions/<uuid:session_id>",
        sessions.SessionDetailView.as_view(),
        name="auth-session-detail",
    ),
    path("accounts", links.LinkedAccountListView.as_view(), name="auth-accounts"),
    # Passkeys
    path("passkeys", passkeys.PasskeyListView.as_view(), name="auth-passkeys"),
    path(
        "passkeys/register/options",
        passkeys.PasskeyRegisterOptionsView.as_view(),
        name="auth-passkey-register-options",
    ),
    path("passkeys/register", passkeys.PasskeyRegisterView.as_view(), name="auth-passkey-register"),
    path(
        "passkeys/login/options",
        passkeys.PasskeyLoginOptionsView.as_view(),
        name="auth-passkey-login-options",
    ),
    path("passkeys/login", passkeys.PasskeyLoginView.as_view(), name="auth-passkey-login"),
    path(
        "passkeys/<uuid:passkey_id>",
        passkeys.PasskeyDetailView.as_view(),
        name="auth-passkey-detail",
    ),
    # Social sign-in
    path("oauth/<str:provider>", social.OAuthBeginView.as_view(), name="auth-oauth-begin"),
    path(
        "oauth/<str:provider>/callback",
        social.OAuthCallbackView.as_view(),
        name="auth-oauth-callback",
    ),
    path(
        "accounts/<str:provider>",
        links.LinkedAccountDetailView.as_view(),
        name="auth-account-detail",
    ),
    # Account lifecycle
    path(
        "password/forgot", password_reset.PasswordForgotView.as_view(), name="auth-password-forgot"
    ),
    path("password/reset", password_reset.PasswordResetView.as_view(), name="auth-password-reset"),
    path("email/verify", email_verification.EmailVerifyView.as_view(), name="auth-email-verify"),
    path("email/disown", email_verification.EmailDisownView.as_view(), name="auth-email-disown"),
    path("email/resend", email_verification.EmailResendView.as_view(), name="auth-email-resend"),
    path("email/change", email_change.EmailChangeView.as_view(), name="auth-email-change"),
    path("events", audit.AuthEventListView.as_view(), name="auth-events"),
    # Two-factor authentication
    path("mfa", mfa.MfaStatusView.as_view(), name="auth-mfa"),
    path("mfa/totp/setup", mfa.TotpSetupView.as_view(), name="auth-mfa-totp-setup"),
    path("mfa/totp/confirm", mfa.TotpConfirmView.as_view(), name="auth-mfa-totp-confirm"),
    path("mfa/totp", mfa.TotpView.as_view(), name="auth-mfa-totp"),
    path("mfa/recovery-codes", mfa.RecoveryCodesView.as_view(), name="auth-mfa-recovery-codes"),
    path("mfa/verify", mfa.MfaVerifyView.as_view(), name="auth-mfa-verify"),
]
