from django.apps import AppConfig


class OriginationConfig(AppConfig):
    name = "guichet.origination"
    label = "origination"
    default_auto_field = "django.db.models.BigAutoField"
