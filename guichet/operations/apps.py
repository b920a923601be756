from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "guichet.operations"
    label = "operations"
    verbose_name = "Opérations"
