"""Customer-space pages: profile."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
