from django.apps import AppConfig


class LendersConfig(AppConfig):
    name = "guichet.lenders"
    label = "lenders"
