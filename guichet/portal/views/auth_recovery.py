"""Customer-space pages for getting back in: a forgotten password needs the email link and an SMS code,
whether the person starts from their email or their mobile number (seed 000)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from guichet.customers import recovery
from guichet.customers.links import check_link
from guichet.customers.passwords import password_rules, password_rules_sentence
from guichet.errors import Refusal, refusals, refusals_as_messages, refusals_on_form
from guichet.lenders.profile import get_profile

from .auth_forms import CodeForm, EmailForm, PhoneForm, ResetPasswordForm
from .auth_redirects import home_url
from .support import opening_days

PHONE_KEY = "guichet_reset_phone"
# Where the reset form shows a refusal, by its code: the code field, the password field, else the top.
RESET_FIELDS = {
    "code_refused": "sms_code",
    "code_cooldown": "sms_code",
    "password_refused": "password",
    "password_reused": "password",
}


def password_forgot(request: HttpRequest) -> HttpResponse:
    """ "Mot de passe oublié ?": an email gets a link; a mobile number gets a code by SMS."""
    # Only the form that was posted is bound: a first visit shows no "Ce champ est obligatoire.".
    posted = request.POST if request.method == "POST" else None
    by_phone = request.POST.get("by") == "phone"
    email_form = EmailForm(None if by_phone else posted)
    phone_form = PhoneForm(posted if by_phone else None)
    if request.method == "POST":
        with refusals_as_messages(request):
            if request.POST.get("by") == "phone" and phone_form.is_valid():
                recovery.request_reset_by_phone(request=request, phone=phone_form.cleaned_data["phone"])
                request.session[PHONE_KEY] = phone_form.cleaned_data["phone"]
                return redirect("portal:password_forgot_code")
            if request.POST.get("by") != "phone" and email_form.is_valid():
                recovery.request_password_reset(request=request, email=email_form.cleaned_data["email"])
                lifetime = recovery.describe_lifetime(recovery.reset_lifetime())
                return render(request, "portal/auth/forgot_sent.html", {"lifetime": lifetime})
    context = {"email_form": email_form, "phone_form": phone_form, "profile": get_profile()}
    return render(request, "portal/auth/forgot.html", context)


@sensitive_post_parameters()
def password_forgot_code(request: HttpRequest) -> HttpResponse:
    phone = request.session.get(PHONE_KEY)
    if not phone:
        return redirect("portal:password_forgot")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form, field="code"):
            recovery.verify_reset_by_phone(request=request, phone=phone, code=form.cleaned_data["code"])
            del request.session[PHONE_KEY]
            lifetime = recovery.describe_lifetime(recovery.reset_lifetime())
            return render(
                request, "portal/auth/forgot_sent.html", {"lifetime": lifetime, "sms_verified": True}
            )
    return render(request, "portal/auth/forgot_code.html", {"form": form})


@sensitive_post_parameters()
def password_reset(request: HttpRequest, token: str) -> HttpResponse:
    with refusals() as refused:
        link = check_link(kind=recovery.RESET, token=token)
    if refused:
        return _link_invalid(request, refused)
    needs_sms = recovery.reset_needs_sms(link, request)
    customer = getattr(link.user, "customer", None) if link.user else None
    if needs_sms and not (customer and customer.phone):
        # No mobile on file: the SMS factor cannot be sent, so the reset cannot be finished online
        # (seed 000: email AND SMS). The page says to call the agency, where an advisor checks the
        # caller's identity and records the mobile (back office, audited); no form is offered, and a
        # forged POST still fails for want of a code (``reset_password``).
        profile = get_profile()
        context = {
            "email": link.user.email,
            "lender": profile,
            "days": opening_days(profile, timezone.now()),
        }
        return render(request, "portal/auth/reset_no_mobile.html", context, status=200)
    if needs_sms and request.method == "GET":
        # A refusal here: a code was sent moments ago and is still valid (the page asks for it).
        with refusals():
            recovery.send_recovery_code(link=link)
    form = ResetPasswordForm(request.POST or None, user=link.user)
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form, fields=RESET_FIELDS) as refused:
            recovery.reset_password(
                request=request,
                token=token,
                raw=form.cleaned_data["password"],
                sms_code=form.cleaned_data.get("sms_code", ""),
            )
            messages.success(request, _("Votre mot de passe a été modifié. Vous êtes connecté."))
            return redirect(home_url())
        if refused.code == "link_refused":
            return _link_invalid(request, refused)
    context = {
        "form": form,
        "needs_sms": needs_sms,
        "suspended": bool(link.user and link.user.is_suspended),
        "email": link.user.email if link.user else "",
        "rules": password_rules(),
        "rules_sentence": password_rules_sentence(),
    }
    return render(request, "portal/auth/reset.html", context)


def _link_invalid(request: HttpRequest, refused: Refusal) -> HttpResponse:
    """A dead reset link (``link_refused``) has its own page, 410."""
    context = {"message": refused.message, "reset": True}
    return render(request, "portal/auth/link_invalid.html", context, status=410)


urlpatterns: list[URLPattern] = [
    path("mot-de-passe/oublie/", password_forgot, name="password_forgot"),
    path("mot-de-passe/oublie/code/", password_forgot_code, name="password_forgot_code"),
    path("mot-de-passe/reinitialiser/<str:token>/", password_reset, name="password_reset"),
]
