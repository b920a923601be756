"""Customer-space pages: signing."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
