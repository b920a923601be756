from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "guichet.customers"
    label = "customers"

    def ready(self) -> None:
        from .page_cache import connect_signals  # once every app's models are loaded

        connect_signals()
