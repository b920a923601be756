"""JSON API URLs: versioned, described by OpenAPI at /api/v1/docs."""

from django.urls import path

from .v1 import api

urlpatterns = [path("v1/", api.urls)]
