from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "guichet.loans"
    label = "loans"
