from django.urls import path

from accounts.views import auth, linked_accounts, me, oauth, sessions

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
]
