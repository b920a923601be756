from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "guichet.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Audit"
