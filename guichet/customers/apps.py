from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "guichet.customers"
    label = "customers"
