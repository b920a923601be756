"""Back-office forms: a new customer record (before the invitation), KYC decisions, complaint answers."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.customers.models import Customer


class NewCustomerForm(forms.ModelForm):
    """Identity and contact of a person the lender is about to invite; the reference is generated."""

    class Meta:
        model = Customer
        fields = [
            "title",
            "first_name",
            "last_name",
            "birth_date",
            "email",
            "phone",
            "address_line1",
            "postal_code",
            "city",
        ]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"})}

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus (communiqué au client)"), max_length=500, widget=forms.Textarea
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Réponse au client"), max_length=10000, widget=forms.Textarea)


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea)
    attachment = forms.FileField(label=_("Pièce jointe (PDF, JPEG, PNG, 10 Mo max.)"), required=False)


class NewThreadForm(MessageForm):
    subject = forms.CharField(label=_("Objet"), max_length=150)
    field_order = ["subject", "body", "attachment"]
