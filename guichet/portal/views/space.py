"""Customer-space pages: home and the benchmark baseline."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from guichet.customers.models import Customer


def current_customer(request: HttpRequest) -> Customer:
    """The customer ``customer_required`` attached to the request (never looked up from a URL)."""
    return request.customer  # type: ignore[attr-defined]


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def hello(request: HttpRequest) -> HttpResponse:
    """Baseline for the benchmarks: the cheapest response Django serves through the same stack."""
    return HttpResponse("hello", content_type="text/plain")


urlpatterns: list[URLPattern] = [
    path("", home, name="home"),
    path("hello/", hello, name="hello"),
]
