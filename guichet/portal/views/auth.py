"""Customer-space pages: auth."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
