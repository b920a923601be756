"""App config of the signing app (credit applications, e-signature, evidence).

The dashboard's "⚠ Une tâche vous attend : Signature du contrat" provider is registered by the
portal (``guichet/portal/views/signing.py``): domain apps never import the web layer.
"""

from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "guichet.signing"
    label = "signing"
