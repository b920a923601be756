"""Customer space URLs (namespace ``portal``)."""

from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("hello/", views.hello, name="hello"),
]
