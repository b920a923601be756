"""Forms of the sign-in, registration, invitation and recovery pages (input parsing only: the rules
are in guichet.customers and guichet.onboarding)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.customers.models import User
from guichet.customers.passwords import check_password_policy
from guichet.customers.phones import example_mobile, normalize_phone
from guichet.errors import refusals


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse email"), widget=forms.EmailInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class RegisterForm(forms.Form):
    contract_number = forms.CharField(
        label=_("Numéro de contrat"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    birth_date = forms.DateField(label=_("Date de naissance"), widget=forms.DateInput(attrs={"type": "date"}))
    email = forms.EmailField(
        label=_("Adresse email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code de vérification"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}),
    )


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Numéro de téléphone mobile"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The example is the lender's own region's (a New Caledonian borrower is not shown a French one).
        self.fields["phone"].help_text = _("Par exemple %(example)s.") % {"example": example_mobile()}

    def clean_phone(self) -> str:
        with refusals() as refused:  # a number that is not a mobile: the field's validation error
            return normalize_phone(self.cleaned_data["phone"])
        raise forms.ValidationError(refused.message)


class NewPasswordForm(forms.Form):
    """New password + confirmation, checked against the profile policy and the user's history."""

    password = forms.CharField(
        label=_("Nouveau mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "data-password-rules": "1"}),
    )
    confirm = forms.CharField(
        label=_("Confirmation du mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        raw = data.get("password")
        if raw:
            with refusals() as refused:
                check_password_policy(raw, user=self.user)
            if refused.code == "password_refused":
                # One sentence, not one fragment per rule ("une majuscule" alone said nothing).
                message = _("Votre mot de passe doit comporter : %(rules)s.")
                unmet = getattr(refused.error, "unmet", [])
                self.add_error("password", message % {"rules": ", ".join(unmet)})
            elif refused:  # e.g. ``password_reused``: its own sentence
                self.add_error("password", refused.message)
        if raw and data.get("confirm") != raw:
            self.add_error("confirm", _("Les deux mots de passe ne sont pas identiques."))
        return data


class ResetPasswordForm(NewPasswordForm):
    sms_code = forms.CharField(label=_("Code reçu par SMS"), max_length=12, required=False)


class ChangePasswordForm(NewPasswordForm):
    current = forms.CharField(
        label=_("Mot de passe actuel"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["current", "password", "confirm"]

    def clean_current(self) -> str:
        raw = self.cleaned_data["current"]
        if self.user is None or not self.user.check_password(raw):
            raise forms.ValidationError(_("Mot de passe actuel incorrect."))
        return raw
