"""App config of the signing app: registers the "Signature du contrat" task on the customer's dashboard."""

from django.apps import AppConfig


def signature_tasks(customer) -> list:
    """One "⚠ Une tâche vous attend : Signature du contrat" per pending request (one query)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from guichet.portal.tasks import PendingTask

    from .selectors import pending_signatures_for

    return [
        PendingTask(
            title=_("Signature du contrat"),
            url=reverse("portal:sign", args=[pid]),
            kind="signature",
            detail=title,
        )
        for pid, title in pending_signatures_for(customer)
    ]


class SigningConfig(AppConfig):
    name = "guichet.signing"
    label = "signing"

    def ready(self) -> None:
        from guichet.portal.tasks import register_task_provider

        register_task_provider(signature_tasks)
