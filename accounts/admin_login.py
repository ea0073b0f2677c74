"""The admin's login page, through the same limits, failure budgets, device exemption, audit
trail and sign-in rules as every other way in; only the session it starts is Django's own,
the one the admin site knows. Otherwise /admin/login/ would be an unlimited password oracle
and a way round a locked account. A staff member with two-factor on types a code on the same
form (the form has the field; it is ignored for accounts without two-factor), checked against
the same per-user budget of wrong codes as the API's second stage."""

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.audit import audit_record
from accounts.cookies import set_device_cookie
from accounts.login import InvalidCredentials, password_verify
from accounts.mfa.factors import mfa_enabled, second_factor_verify
from accounts.models import User
from accounts.sign_in_methods import ADMIN
from accounts.signin import DJANGO_SESSION, SecondFactorRequired, sign_in, sign_in_checks
from core.errors import ApiError


class AdminLoginForm(AdminAuthenticationForm):
    """Django's staff login form, with our credentials check in place of authenticate()."""

    refusal: ApiError | None = None
    second_factor_proved = False
    code = forms.CharField(
        label="Two-factor code",
        required=False,
        max_length=32,
        help_text="With two-factor authentication on: from your app, or a recovery code.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )

    def clean(self) -> dict:
        email, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if not email or not password:
            return self.cleaned_data
        try:
            user = password_verify(
                request=self.request, email=email, password=password, method=ADMIN
            )
            self._confirm_staff(user)
            sign_in_checks(request=self.request, user=user, method=ADMIN)
            self._confirm_second_factor(user)
        except InvalidCredentials as wrong:
            raise self.get_invalid_login_error() from wrong
        except ApiError as refusal:  # rate limited, cache down, address not verified
            self.refusal = refusal
            raise ValidationError(str(refusal.detail), code=refusal.code) from refusal
        self.user_cache = user
        return self.cleaned_data

    def _confirm_second_factor(self, user: User) -> None:
        """Asked only once the password is right, as the API's second stage is."""
        if not mfa_enabled(user):
            return
        code = self.cleaned_data.get("code") or ""
        if not code:
            raise SecondFactorRequired()
        if second_factor_verify(request=self.request, user=user, code=code, stage=ADMIN) is None:
            raise ValidationError("The two-factor code is wrong or was already used.")
        self.second_factor_proved = True

    def _confirm_staff(self, user: User) -> None:
        """The right password of a non-staff account gets the same answer as a wrong one."""
        if not user.is_staff:
            audit_record(
                "sign_in_failed", request=self.request, user=user, reason="not_staff", method=ADMIN
            )
            raise InvalidCredentials()


class AdminLoginView(LoginView):
    """Signs in through the sign-in service; a refusal keeps its status (429, 503)."""

    def form_valid(self, form: AdminLoginForm) -> HttpResponse:
        signed_in = sign_in(
            request=self.request,
            user=form.get_user(),
            method=ADMIN,
            session_kind=DJANGO_SESSION,
            second_factor_proved=form.second_factor_proved,
        )
        response = HttpResponseRedirect(self.get_success_url())
        set_device_cookie(response, signed_in.device)
        return response

    def form_invalid(self, form: AdminLoginForm) -> HttpResponse:
        response = super().form_invalid(form)
        if form.refusal is not None:
            response.status_code = form.refusal.status_code
            wait = getattr(form.refusal, "wait", None)
            if wait:
                response["Retry-After"] = str(wait)
        return response


class AdminSite(admin.AdminSite):
    """The project's admin site: Django's, with the login page above."""

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """Django's AdminSite.login, rendering AdminLoginView instead of Django's LoginView."""
        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        context = {
            **self.each_context(request),
            "title": _("Log in"),
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
        }
        if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
            context[REDIRECT_FIELD_NAME] = reverse("admin:index", current_app=self.name)
        context.update(extra_context or {})
        request.current_app = self.name
        return AdminLoginView.as_view(
            extra_context=context,
            authentication_form=AdminLoginForm,
            template_name=self.login_template or "admin/login_mfa.html",
        )(request)
