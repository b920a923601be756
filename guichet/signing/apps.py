from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "guichet.signing"
    label = "signing"
