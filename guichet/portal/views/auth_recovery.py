"""Customer-space pages for getting back in: a forgotten password needs the email link and an SMS code,
whether the person starts from their email or their mobile number (seed 000)."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from guichet.customers import recovery
from guichet.customers.exceptions import CodeError, LinkError, PasswordPolicyError, RateLimited
from guichet.customers.links import check_link
from guichet.customers.passwords import password_rules, password_rules_sentence
from guichet.lenders.profile import get_profile

from .auth_forms import CodeForm, EmailForm, PhoneForm, ResetPasswordForm
from .auth_redirects import home_url
from .support import opening_days

PHONE_KEY = "guichet_reset_phone"


def password_forgot(request: HttpRequest) -> HttpResponse:
    """ "Mot de passe oublié ?": an email gets a link; a mobile number gets a code by SMS."""
    # Only the form that was posted is bound: a first visit shows no "Ce champ est obligatoire.".
    posted = request.POST if request.method == "POST" else None
    by_phone = request.POST.get("by") == "phone"
    email_form = EmailForm(None if by_phone else posted)
    phone_form = PhoneForm(posted if by_phone else None)
    if request.method == "POST":
        try:
            if request.POST.get("by") == "phone" and phone_form.is_valid():
                recovery.request_reset_by_phone(request=request, phone=phone_form.cleaned_data["phone"])
                request.session[PHONE_KEY] = phone_form.cleaned_data["phone"]
                return redirect("portal:password_forgot_code")
            if request.POST.get("by") != "phone" and email_form.is_valid():
                recovery.request_password_reset(request=request, email=email_form.cleaned_data["email"])
                lifetime = recovery.describe_lifetime(recovery.reset_lifetime())
                return render(request, "portal/auth/forgot_sent.html", {"lifetime": lifetime})
        except RateLimited as exc:
            messages.error(request, str(exc))
    context = {"email_form": email_form, "phone_form": phone_form, "profile": get_profile()}
    return render(request, "portal/auth/forgot.html", context)


@sensitive_post_parameters()
def password_forgot_code(request: HttpRequest) -> HttpResponse:
    phone = request.session.get(PHONE_KEY)
    if not phone:
        return redirect("portal:password_forgot")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recovery.verify_reset_by_phone(request=request, phone=phone, code=form.cleaned_data["code"])
        except CodeError as exc:
            form.add_error("code", str(exc))
        else:
            del request.session[PHONE_KEY]
            lifetime = recovery.describe_lifetime(recovery.reset_lifetime())
            return render(
                request, "portal/auth/forgot_sent.html", {"lifetime": lifetime, "sms_verified": True}
            )
    return render(request, "portal/auth/forgot_code.html", {"form": form})


@sensitive_post_parameters()
def password_reset(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = check_link(kind=recovery.RESET, token=token)
    except LinkError as exc:
        return render(
            request, "portal/auth/link_invalid.html", {"message": str(exc), "reset": True}, status=410
        )
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
        # CodeError: a code was sent moments ago and is still valid.
        with contextlib.suppress(CodeError):
            recovery.send_recovery_code(link=link)
    form = ResetPasswordForm(request.POST or None, user=link.user)
    if request.method == "POST" and form.is_valid():
        try:
            recovery.reset_password(
                request=request,
                token=token,
                raw=form.cleaned_data["password"],
                sms_code=form.cleaned_data.get("sms_code", ""),
            )
        except LinkError as exc:
            return render(
                request, "portal/auth/link_invalid.html", {"message": str(exc), "reset": True}, status=410
            )
        except (CodeError, PasswordPolicyError) as exc:
            form.add_error("sms_code" if isinstance(exc, CodeError) else "password", str(exc))
        else:
            messages.success(request, _("Votre mot de passe a été modifié. Vous êtes connecté."))
            return redirect(home_url())
    context = {
        "form": form,
        "needs_sms": needs_sms,
        "suspended": bool(link.user and link.user.is_suspended),
        "email": link.user.email if link.user else "",
        "rules": password_rules(),
        "rules_sentence": password_rules_sentence(),
    }
    return render(request, "portal/auth/reset.html", context)


urlpatterns: list[URLPattern] = [
    path("mot-de-passe/oublie/", password_forgot, name="password_forgot"),
    path("mot-de-passe/oublie/code/", password_forgot_code, name="password_forgot_code"),
    path("mot-de-passe/reinitialiser/<str:token>/", password_reset, name="password_reset"),
]
