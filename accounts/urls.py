from django.urls import path

from accounts.views import (
    auth,
    email,
    events,
    linked_accounts,
    me,
    oauth,
    password,
    sessions,
)

urlpatterns = [
    path("csrf", auth.CsrfView.as_view(), name="auth-csrf"),
    path("register", auth.RegisterView.as_view(), name="auth-register"),
    path("login", auth.LoginView.as_view(), name="auth-login"),
    path("logout", auth.LogoutView.as_view(), name="auth-logout"),
    path("me", me.MeView.as_view(), name="auth-me"),
    path("password/change", me.PasswordChangeView.as_view(), name="auth-password-change"),
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
    path("accounts", linked_accounts.LinkedAccountListView.as_view(), name="auth-accounts"),
    # Social sign-in
    path("oauth/<str:provider>", oauth.OAuthBeginView.as_view(), name="auth-oauth-begin"),
    path(
        "oauth/<str:provider>/callback",
        oauth.OAuthCallbackView.as_view(),
        name="auth-oauth-callback",
    ),
    path(
        "accounts/<str:provider>",
        linked_accounts.LinkedAccountDetailView.as_view(),
        name="auth-account-detail",
    ),
    # Account lifecycle (issue 3)
    path("password/forgot", password.PasswordForgotView.as_view(), name="auth-password-forgot"),
    path("password/reset", password.PasswordResetView.as_view(), name="auth-password-reset"),
    path("email/verify", email.EmailVerifyView.as_view(), name="auth-email-verify"),
    path("email/resend", email.EmailResendView.as_view(), name="auth-email-resend"),
    path("email/change", email.EmailChangeView.as_view(), name="auth-email-change"),
    path("events", events.AuthEventListView.as_view(), name="auth-events"),
]
