"""Customer-space pages: kyc."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
