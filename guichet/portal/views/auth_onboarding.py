"""Customer-space pages for getting an account: self-registration and activation link (French profile),
invitation with its 8-character code (any profile)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from guichet.customers.passwords import password_rules, password_rules_sentence
from guichet.errors import Refusal, refusals, refusals_on_form
from guichet.lenders.profile import get_profile
from guichet.onboarding import invitations, registration

from .auth_forms import CodeForm, NewPasswordForm, RegisterForm
from .auth_redirects import home_url

NEUTRAL = gettext_lazy(
    "Si ces informations correspondent à un contrat, un email vous a été envoyé. "
    "Ouvrez le lien qu'il contient pour choisir votre mot de passe."
)


def register(request: HttpRequest) -> HttpResponse:
    profile = get_profile()
    if not profile.self_registration:
        return render(request, "portal/auth/register_closed.html", {"profile": profile})
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form):
            registration.request_registration(request=request, **form.cleaned_data)
            return render(request, "portal/auth/register_sent.html", {"message": NEUTRAL})
    return render(request, "portal/auth/register.html", {"form": form})


def _set_password_page(
    request: HttpRequest, *, form: NewPasswordForm, email: str, title: str
) -> HttpResponse:
    context = {
        "form": form,
        "email": email,
        "title": title,
        "rules": password_rules(),
        "rules_sentence": password_rules_sentence(),
    }
    return render(request, "portal/auth/set_password.html", context)


@sensitive_post_parameters()
def activate(request: HttpRequest, token: str) -> HttpResponse:
    with refusals() as refused:
        customer = registration.activation_customer(token)
    if refused:
        return _link_invalid(request, refused)
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals() as refused:
            registration.activate_account(request=request, token=token, raw=form.cleaned_data["password"])
        if refused:
            return _link_invalid(request, refused)
        messages.success(request, _("Votre espace client est activé. Bienvenue !"))
        return redirect(home_url())
    return _set_password_page(
        request, form=form, email=customer.email, title=_("Choisissez votre mot de passe")
    )


@sensitive_post_parameters()
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """ "Code de vérification" then "Choisissez votre mot de passe", on the same link."""
    with refusals() as refused:
        inv = invitations.invitation_for(token)
    if refused:
        return _link_invalid(request, refused)
    if not invitations.code_verified_here(request, inv):
        form = CodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            with refusals_on_form(form, field="code"):
                invitations.verify_invitation_code(
                    request=request, token=token, code=form.cleaned_data["code"]
                )
                return redirect("portal:invitation", token=token)
        return render(request, "portal/auth/invitation_code.html", {"form": form, "token": token})
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals() as refused:
            invitations.accept_invitation(request=request, token=token, raw=form.cleaned_data["password"])
        if refused:
            return _link_invalid(request, refused)
        messages.success(request, _("Votre espace client est activé. Bienvenue !"))
        return redirect(home_url())
    return _set_password_page(
        request, form=form, email=inv.customer.email, title=_("Choisissez votre mot de passe")
    )


@require_POST
def invitation_resend(request: HttpRequest, token: str) -> HttpResponse:
    """ "Demander un nouveau code"."""
    with refusals() as refused:
        invitations.resend_invitation_code(token=token)
    if refused.code == "link_refused":
        return _link_invalid(request, refused)
    if refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("Un nouveau code vient de vous être envoyé par email. L'ancien code n'est plus valable."),
        )
    return redirect("portal:invitation", token=token)


def _link_invalid(request: HttpRequest, refused: Refusal) -> HttpResponse:
    """A dead activation or invitation link (or an account that can no longer be opened by it)."""
    return render(request, "portal/auth/link_invalid.html", {"message": refused.message}, status=410)


urlpatterns: list[URLPattern] = [
    path("inscription/", register, name="register"),
    path("activation/<str:token>/", activate, name="activate"),
    path("invitation/<str:token>/", invitation, name="invitation"),
    path("invitation/<str:token>/nouveau-code/", invitation_resend, name="invitation_resend"),
]
