"""Staff sign-in (password, then TOTP or SMS code; authenticator enrolment on first sign-in) and sign-out."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from guichet.customers.exceptions import CodeError, LoginRefused
from guichet.customers.models import User
from guichet.errors import refusals_on_form

from .. import signin


class StaffLoginForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email professionnel"))
    password = forms.CharField(label=gettext_lazy("Mot de passe"), strip=False, widget=forms.PasswordInput)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/backoffice/") and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return target
    return "/backoffice/"


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = StaffLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form):
            user = signin.check_staff_password(request=request, **form.cleaned_data)
            signin.begin_second_factor(request=request, user=user)
            request.session["backoffice_next"] = _next(request)
            return redirect("backoffice:login_verify")
    return render(request, "backoffice/login.html", {"form": form, "next": _next(request)})


@require_http_methods(["GET", "POST"])
def verify_view(request: HttpRequest) -> HttpResponse:
    pending = signin.pending_sign_in(request)
    if pending is None:
        messages.info(request, _("La connexion a expiré. Recommencez."))
        return redirect("backoffice:login")
    user = User.objects.get(pk=pending["user"])
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signin.finish_second_factor(request=request, code=form.cleaned_data["code"])
        except (LoginRefused, CodeError) as exc:
            if signin.pending_sign_in(request) is None:
                messages.error(request, str(exc))
                return redirect("backoffice:login")
            form.add_error("code", str(exc))
        else:
            return redirect(request.session.pop("backoffice_next", "/backoffice/"))
    context = {"form": form, "method": pending["method"], "staff_email": user.email}
    if pending["method"] == "setup":
        context.update(secret=pending["secret"], otpauth=signin.setup_uri(pending, user))
    return render(request, "backoffice/login_verify.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    signin.sign_out(request)
    messages.success(request, _("Vous êtes déconnecté."))
    return redirect("backoffice:login")


urlpatterns = [
    path("login/", login_view, name="login"),
    path("login/verify/", verify_view, name="login_verify"),
    path("logout/", logout_view, name="logout"),
]
