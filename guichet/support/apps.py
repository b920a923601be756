from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "guichet.support"
    label = "support"
