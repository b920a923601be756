"""Customer-space pages: sign in (with the step-up code), sign out, session keep-alive, SMS step-up for
sensitive operations, password renewal and recent security activity. Registration, invitation and
recovery pages are in ``auth_onboarding`` and ``auth_recovery``; their URLs are gathered here.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from guichet.customers import selectors, services
from guichet.customers.decorators import (
    confirm_step_up,
    consume_step_up,
    customer_required,
    pending_step_up,
    require_step_up,
)
from guichet.customers.middleware import TIMED_OUT_KEY
from guichet.customers.passwords import password_expired
from guichet.customers.risk import remember_device
from guichet.customers.signin import pending_login
from guichet.errors import refusals_as_messages, refusals_on_form
from guichet.lenders.profile import get_profile

from . import auth_email_recovery, auth_onboarding, auth_recovery
from .auth_forms import ChangePasswordForm, CodeForm, LoginForm, NewPasswordForm
from .auth_redirects import home_url, safe_next
from .language import apply_account_language

NEXT_KEY = "guichet_next"
PASSWORD_STEP_UP_OK = "guichet_password_change_ok"


def _after_login(request: HttpRequest) -> HttpResponseRedirect:
    target = safe_next(request, request.session.pop(NEXT_KEY, None))
    if password_expired(request.user):
        target = reverse("portal:password_change")
    response = redirect(target)
    remember_device(user=request.user, request=request, response=response)
    apply_account_language(request, response)
    return response


@sensitive_post_parameters()
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.user.is_customer:
        return redirect(home_url())
    timed_out = request.session.pop(TIMED_OUT_KEY, False)
    if timed_out is True:
        messages.info(request, _("Votre session a expiré : reconnectez-vous."))
    elif timed_out:
        messages.info(
            request, _("Vous avez été déconnecté après %(m)d minutes d'inactivité.") % {"m": timed_out}
        )
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form):
            sign_in = services.authenticate_customer(
                request=request, email=form.cleaned_data["email"], password=form.cleaned_data["password"]
            )
            request.session[NEXT_KEY] = safe_next(
                request, request.POST.get("next") or request.GET.get("next")
            )
            if sign_in.needs_step_up:
                services.start_step_up(request=request, sign_in=sign_in)
                return redirect("portal:login_code")
            services.complete_login(request=request, user=sign_in.user, risk=sign_in.risk)
            return _after_login(request)
    context = {"form": form, "next": request.GET.get("next", ""), "profile": get_profile()}
    return render(request, "portal/auth/login.html", context, status=400 if form.errors else 200)


@sensitive_post_parameters()
def login_code(request: HttpRequest) -> HttpResponse:
    """Second step of a sign-in judged unusual: the code sent by SMS."""
    user = pending_login(request)
    if user is None:
        return redirect("portal:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form, field="code"):
            services.finish_step_up(request=request, code=form.cleaned_data["code"])
            return _after_login(request)
    return render(request, "portal/auth/login_code.html", {"form": form})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    services.logout_customer(request=request)
    messages.success(request, _("Vous êtes déconnecté."))
    return redirect("portal:login")


@require_POST
@customer_required
def logout_everywhere_view(request: HttpRequest) -> HttpResponse:
    services.logout_everywhere(user=request.user, request=request)
    messages.success(request, _("Vous êtes déconnecté de tous vos appareils."))
    return redirect("portal:login")


@require_POST
def session_keepalive(request: HttpRequest) -> HttpResponse:
    """ "Rester connecté": an explicit action, so it counts as activity (the middleware already noted it)."""
    request.guichet_keep_limit = True  # type: ignore[attr-defined]
    return HttpResponse(status=204 if request.user.is_authenticated else 401)


@sensitive_post_parameters()
@customer_required
def step_up(request: HttpRequest) -> HttpResponse:
    """The SMS code page of a sensitive operation started with ``require_step_up``."""
    pending = pending_step_up(request)
    if pending is None:
        return redirect(home_url())
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form, field="code"):
            target = confirm_step_up(request, code=form.cleaned_data["code"])
            return redirect(safe_next(request, target))
    return render(request, "portal/auth/step_up.html", {"form": form})


@sensitive_post_parameters()
def password_change(request: HttpRequest) -> HttpResponse:
    """Renewal when the password is too old ("Vous devez changer votre mot de passe"), or a voluntary
    change, which needs the current password and an SMS code."""
    user = request.user
    if not user.is_authenticated or not user.is_customer:
        return redirect("portal:login")
    expired = password_expired(user)
    if not expired and not request.session.get(PASSWORD_STEP_UP_OK):
        if consume_step_up(request, purpose="password_change", bound_to=f"user:{user.pk}"):
            request.session[PASSWORD_STEP_UP_OK] = True
        else:
            with refusals_as_messages(request):
                return require_step_up(request, purpose="password_change", bound_to=f"user:{user.pk}")
            return redirect(home_url())
    form_class = NewPasswordForm if expired else ChangePasswordForm
    form = form_class(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.change_password(request=request, user=user, raw=form.cleaned_data["password"])
        request.session.pop(PASSWORD_STEP_UP_OK, None)
        messages.success(request, _("Votre mot de passe a été modifié."))
        return redirect(home_url())
    context = {"form": form, "expired": expired, "rules": services.password_rules()}
    return render(request, "portal/auth/password_change.html", context)


@customer_required
def security_activity(request: HttpRequest) -> HttpResponse:
    events = selectors.recent_activity(request.user, limit=20)
    return render(request, "portal/auth/activity.html", {"events": events})


urlpatterns: list[URLPattern] = [
    path("connexion/", login_view, name="login"),
    path("connexion/code/", login_code, name="login_code"),
    path("deconnexion/", logout_view, name="logout"),
    path("deconnexion/partout/", logout_everywhere_view, name="logout_everywhere"),
    path("session/prolonger/", session_keepalive, name="session_keepalive"),
    path("securite/code/", step_up, name="step_up"),
    path("securite/mot-de-passe/", password_change, name="password_change"),
    path("securite/activite/", security_activity, name="security_activity"),
    *auth_onboarding.urlpatterns,
    *auth_recovery.urlpatterns,
    *auth_email_recovery.urlpatterns,
]
