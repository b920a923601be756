from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "guichet.documents"
    label = "documents"

    def ready(self) -> None:
        from guichet.documents import updates  # noqa: F401  (connects the new-document SMS)
