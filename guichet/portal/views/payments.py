"""Customer-space pages: payments."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
