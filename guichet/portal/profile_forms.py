"""Forms of "Mon profil": personal details, email and phone changes with their codes, alerts, language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from guichet.customers.models import Customer


class _Form(forms.Form):
    """No colon after a label: "Rappel d'échéance :" beside a checkbox reads as a dangling fragment."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class PersonalDetailsForm(_Form):
    address_line1 = forms.CharField(label=_("Adresse"), max_length=120)
    address_line2 = forms.CharField(label=_("Complément d'adresse"), max_length=120, required=False)
    postal_code = forms.CharField(label=_("Code postal"), max_length=10)
    city = forms.CharField(label=_("Ville"), max_length=80)
    country = forms.CharField(label=_("Pays (code ISO)"), max_length=2, min_length=2)
    family_situation = forms.ChoiceField(
        label=_("Situation familiale"), choices=[("", "—"), *Customer.FamilySituation.choices], required=False
    )
    professional_situation = forms.ChoiceField(
        label=_("Situation professionnelle"),
        choices=[("", "—"), *Customer.ProfessionalSituation.choices],
        required=False,
    )

    def clean_country(self) -> str:
        return self.cleaned_data["country"].upper()


class EmailChangeForm(_Form):
    new_email = forms.EmailField(label=_("Nouvelle adresse email"), max_length=254)


class PhoneChangeForm(_Form):
    new_phone = forms.CharField(label=_("Nouveau numéro de mobile"), max_length=20)


class CodesForm(_Form):
    """The two codes of a change: the one sent to the new channel and the step-up one."""

    code = forms.CharField(label=_("Code reçu sur la nouvelle coordonnée"), max_length=12)
    step_up_code = forms.CharField(label=_("Code reçu sur votre mobile actuel"), max_length=12)

    def __init__(self, *args: object, step_up_label: str | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name in ("code", "step_up_code"):
            self.fields[name].widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "text"})
        if step_up_label:
            self.fields["step_up_code"].label = step_up_label


class AlertsForm(_Form):
    due_reminder_enabled = forms.BooleanField(label=_("Me rappeler mes échéances"), required=False)
    due_reminder_days = forms.IntegerField(
        label=_("Nombre de jours avant l'échéance"), min_value=0, max_value=30, required=False
    )
    balance_threshold = forms.DecimalField(
        label=_("M'alerter quand mon capital restant dû passe sous"),
        min_value=0,
        required=False,
        help_text=_("Laissez vide pour ne pas recevoir cette alerte."),
    )
    contract_updates = forms.BooleanField(
        label=_("Notifications de mise à jour de mes contrats"), required=False
    )
    by_email = forms.BooleanField(label=_("Par email"), required=False)
    by_sms = forms.BooleanField(label=_("Par SMS"), required=False)


class LanguageForm(_Form):
    language = forms.ChoiceField(
        label=_("Langue de l'espace client et des courriers"), choices=settings.LANGUAGES
    )
