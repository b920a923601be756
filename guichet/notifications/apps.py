from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "guichet.notifications"
    label = "notifications"

    def ready(self) -> None:
        # Contract-update notices listen to the loans and documents signals (no import the other way).
        from .updates import connect

        connect()
