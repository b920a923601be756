"""Customer-space pages: "Mon profil" — details, email and phone changes (two codes), alerts, language."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, URLPattern, path, resolve
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.credit import Money
from guichet.customers import profile_services as ps
from guichet.customers.decorators import customer_required
from guichet.errors import refusals_on_form
from guichet.lenders.profile import get_profile
from guichet.notifications.services import (
    AlertPreferenceError,
    alert_preferences_for,
    update_alert_preferences,
)
from guichet.onboarding.kyc import identity_verified

from ..profile_forms import (
    AlertsForm,
    CodesForm,
    EmailChangeForm,
    LanguageForm,
    PersonalDetailsForm,
    PhoneChangeForm,
)
from .space import current_customer

PENDING = {"email": "profile_pending_email", "phone": "profile_pending_phone"}
# Where an email or phone change started from another page (the signature's « Modifier mes
# coordonnées », issue 16) sends the customer back once confirmed.
RETURN_TO = "profile_return_to"


def _return_to(request: HttpRequest) -> str | None:
    """The ``next`` page of this request if it is a signature page of this site, else None."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if not candidate.startswith("/") or not url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    try:
        match = resolve(candidate.split("?", 1)[0])
    except Resolver404:
        return None
    return candidate if (match.namespace, match.url_name) == ("portal", "sign") else None


def _remember_return(request: HttpRequest) -> None:
    target = _return_to(request)
    if target:
        request.session[RETURN_TO] = target
    else:
        request.session.pop(RETURN_TO, None)


def _initial_alerts(customer) -> dict[str, object]:
    pref = alert_preferences_for(customer)
    cur = get_profile().currency
    threshold = (
        None if pref.balance_threshold_minor is None else Money(pref.balance_threshold_minor, cur).amount
    )
    return {
        "due_reminder_enabled": pref.due_reminder_days is not None,
        "due_reminder_days": pref.due_reminder_days if pref.due_reminder_days is not None else 3,
        "balance_threshold": threshold,
        "contract_updates": pref.contract_updates,
        "by_email": pref.by_email,
        "by_sms": pref.by_sms,
    }


def _page(request: HttpRequest, status: int = 200, **forms: object) -> HttpResponse:
    customer = current_customer(request)
    details = {f: getattr(customer, f) for f in ps.PERSONAL_FIELDS}
    context = {
        "customer": customer,
        "details_form": forms.get("details_form") or PersonalDetailsForm(initial=details),
        "email_form": forms.get("email_form") or EmailChangeForm(),
        "phone_form": forms.get("phone_form") or PhoneChangeForm(),
        "alerts_form": forms.get("alerts_form") or AlertsForm(initial=_initial_alerts(customer)),
        "language_form": LanguageForm(initial={"language": request.user.language}),
        "currency": get_profile().currency.code,
        "identity_locked": not identity_verified(customer),
        "return_to": _return_to(request),
    }
    return render(request, "portal/profile/profile.html", context, status=status)


@customer_required
def profile(request: HttpRequest) -> HttpResponse:
    return _page(request)


@customer_required
@require_POST
def details(request: HttpRequest) -> HttpResponse:
    form = PersonalDetailsForm(request.POST)
    if not form.is_valid():
        return _page(request, status=400, details_form=form)
    with refusals_on_form(form):
        ps.update_personal_details(customer=current_customer(request), request=request, **form.cleaned_data)
        messages.success(request, _("Vos informations personnelles sont enregistrées."))
        return redirect("portal:profile")
    return _page(request, status=400, details_form=form)


@customer_required
@require_POST
def email_start(request: HttpRequest) -> HttpResponse:
    form = EmailChangeForm(request.POST)
    if form.is_valid():
        with refusals_on_form(form, field="new_email"):
            pending = ps.start_email_change(
                user=request.user,
                customer=current_customer(request),
                new_email=form.cleaned_data["new_email"],
            )
            request.session[PENDING["email"]] = pending.new_value
            _remember_return(request)
            return redirect("portal:profile_email_confirm")
    return _page(request, status=400, email_form=form)


@customer_required
@require_POST
def phone_start(request: HttpRequest) -> HttpResponse:
    form = PhoneChangeForm(request.POST)
    if form.is_valid():
        with refusals_on_form(form, field="new_phone"):
            pending = ps.start_phone_change(
                user=request.user,
                customer=current_customer(request),
                new_phone=form.cleaned_data["new_phone"],
            )
            request.session[PENDING["phone"]] = pending.new_value
            _remember_return(request)
            return redirect("portal:profile_phone_confirm")
    return _page(request, status=400, phone_form=form)


def _confirm(request: HttpRequest, what: str) -> HttpResponse:
    """Shared by email and phone: show the two code fields, check them, apply the change."""
    new_value = request.session.get(PENDING[what])
    if not new_value:
        messages.error(request, _("Aucune modification en attente : recommencez depuis votre profil."))
        return redirect("portal:profile")
    customer = current_customer(request)
    step_label = None if customer.phone else _("Code reçu à votre adresse email actuelle")
    form = CodesForm(request.POST or None, step_up_label=step_label)
    if request.method == "POST" and form.is_valid():
        confirm = ps.confirm_email_change if what == "email" else ps.confirm_phone_change
        value_arg = {"new_email": new_value} if what == "email" else {"new_phone": new_value}
        with refusals_on_form(form):
            confirm(
                user=request.user,
                customer=customer,
                code=form.cleaned_data["code"],
                step_up_code=form.cleaned_data["step_up_code"],
                request=request,
                **value_arg,
            )
            del request.session[PENDING[what]]
            done = (
                _("Votre adresse email est modifiée.")
                if what == "email"
                else _("Votre numéro de mobile est modifié.")
            )
            messages.success(request, done)
            return redirect(request.session.pop(RETURN_TO, None) or "portal:profile")
    context = {
        "form": form,
        "what": what,
        "new_value": new_value,
        "customer": customer,
        "return_to": request.session.get(RETURN_TO),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/profile/confirm_change.html", context, status=status)


@customer_required
def email_confirm(request: HttpRequest) -> HttpResponse:
    return _confirm(request, "email")


@customer_required
def phone_confirm(request: HttpRequest) -> HttpResponse:
    return _confirm(request, "phone")


def _threshold(amount: Decimal | None) -> Money | None:
    """The threshold in the lender's currency; more decimals than it has is refused in words."""
    if amount is None:
        return None
    currency = get_profile().currency
    try:
        return Money.of(Decimal(amount), currency)
    except ValueError:
        raise AlertPreferenceError(
            _("Le seuil s'exprime en %(cur)s avec au plus %(n)d décimale(s).")
            % {"cur": currency.code, "n": currency.exponent}
        ) from None


@customer_required
@require_POST
def alerts(request: HttpRequest) -> HttpResponse:
    form = AlertsForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        days = data["due_reminder_days"] if data["due_reminder_enabled"] else None
        with refusals_on_form(form):
            threshold = _threshold(data["balance_threshold"])
            update_alert_preferences(
                customer=current_customer(request),
                due_reminder_days=3 if data["due_reminder_enabled"] and days is None else days,
                balance_threshold=threshold,
                contract_updates=data["contract_updates"],
                by_email=data["by_email"],
                by_sms=data["by_sms"],
            )
            messages.success(request, _("Vos préférences d'alertes sont enregistrées."))
            return redirect("portal:profile")
    return _page(request, status=400, alerts_form=form)


@customer_required
@require_POST
def language(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return _page(request, status=400)
    lang = form.cleaned_data["language"]
    ps.set_preferred_language(user=request.user, customer=current_customer(request), language=lang)
    translation.activate(lang)
    messages.success(request, _("Votre langue est enregistrée."))
    response = redirect("portal:profile")
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        lang,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE or request.is_secure(),
    )
    return response


urlpatterns: list[URLPattern] = [
    path("espace/profil/", profile, name="profile"),
    path("espace/profil/coordonnees/", details, name="profile_details"),
    path("espace/profil/email/", email_start, name="profile_email"),
    path("espace/profil/email/confirmer/", email_confirm, name="profile_email_confirm"),
    path("espace/profil/telephone/", phone_start, name="profile_phone"),
    path("espace/profil/telephone/confirmer/", phone_confirm, name="profile_phone_confirm"),
    path("espace/profil/alertes/", alerts, name="profile_alerts"),
    path("espace/profil/langue/", language, name="profile_language"),
]
