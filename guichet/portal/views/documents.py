"""Customer-space pages: documents."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
