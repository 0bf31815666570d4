"""The web UI's login page under the login lock-out (`accounts.lockout`), like `POST /api/v1/auth/token`."""

from __future__ import annotations

import math

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from accounts.lockout import login_authenticate
from kernel.errors import TooManyAttempts


class LockoutAuthenticationForm(AuthenticationForm):
    retry_after: float | None = None

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            assert self.request is not None  # LoginView always gives the form its request
            try:
                self.user_cache = login_authenticate(request=self.request, username=username, password=password)
            except TooManyAttempts as exc:
                self.retry_after = exc.retry_after
                raise ValidationError(exc.message, code="locked") from None
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class LoginView(auth_views.LoginView):
    authentication_form = LockoutAuthenticationForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.retry_after is not None:
            response.status_code = 429
            response["Retry-After"] = str(math.ceil(form.retry_after))
        return response
