from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "guichet.loans"
    label = "loans"

    def ready(self) -> None:
        from guichet.loans import receivers  # noqa: F401  (connects the position refresh)
