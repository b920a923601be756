"""Customer-space pages for "J'ai perdu l'accès à mon email": identity + SMS code, then the new address
confirmed by a code sent to it. The state between steps lives in the session."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.customers import email_recovery
from guichet.customers.models import User
from guichet.errors import refusals_on_form

from .auth_forms import CodeForm, EmailForm, PhoneForm

KEY = "guichet_email_recovery"


class IdentityForm(PhoneForm):
    birth_date = forms.DateField(
        label=gettext_lazy("Date de naissance"), widget=forms.DateInput(attrs={"type": "date"})
    )
    contract_number = forms.CharField(label=gettext_lazy("Numéro de contrat"), max_length=20)


def email_lost(request: HttpRequest) -> HttpResponse:
    state = request.session.get(KEY, {})
    step = state.get("step", "identity")
    form: forms.Form
    if step == "identity":
        form = IdentityForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = {k: str(v) for k, v in form.cleaned_data.items()}
            with refusals_on_form(form):
                email_recovery.start_email_recovery(request=request, **form.cleaned_data)
                request.session[KEY] = {"step": "sms", **data}
                return redirect("portal:email_lost")
    elif step == "sms":
        form = CodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            with refusals_on_form(form, field="code"):
                user = email_recovery.verify_email_recovery(
                    phone=state["phone"],
                    birth_date=date.fromisoformat(state["birth_date"]),
                    contract_number=state["contract_number"],
                    code=form.cleaned_data["code"],
                )
                request.session[KEY] = {"step": "email", "user": user.pk}
                return redirect("portal:email_lost")
    else:
        return _new_email_step(request, state)
    return render(request, "portal/auth/email_lost.html", {"form": form, "step": step})


def _new_email_step(request: HttpRequest, state: dict) -> HttpResponse:
    user = User.objects.get(pk=state["user"])
    if state["step"] == "email":
        form: forms.Form = EmailForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            with refusals_on_form(form, field="email"):
                email_recovery.send_new_email_code(user=user, new_email=form.cleaned_data["email"])
                request.session[KEY] = {**state, "step": "confirm", "email": form.cleaned_data["email"]}
                return redirect("portal:email_lost")
    else:
        form = CodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            with refusals_on_form(form, field="code"):
                email_recovery.confirm_new_email(
                    request=request, user=user, new_email=state["email"], code=form.cleaned_data["code"]
                )
                del request.session[KEY]
                messages.success(
                    request, _("Votre adresse email est mise à jour. Vous pouvez vous connecter.")
                )
                return redirect("portal:login")
    return render(request, "portal/auth/email_lost.html", {"form": form, "step": state["step"]})


urlpatterns: list[URLPattern] = [path("email-perdu/", email_lost, name="email_lost")]
