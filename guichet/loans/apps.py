from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "guichet.loans"
    label = "loans"

    def ready(self) -> None:
        from guichet import lookups
        from guichet.loans import alerts, receivers  # noqa: F401  (connect the notice, the position refresh)

        lookups.register()  # ``field__any=ids`` for the bulk readers of the business day
