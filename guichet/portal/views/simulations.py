"""Customer-space pages: simulations."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
