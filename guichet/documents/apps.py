from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "guichet.documents"
    label = "documents"
