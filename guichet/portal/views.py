"""Customer space pages: thin views that call selectors and services and render templates."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def hello(request: HttpRequest) -> HttpResponse:
    """Baseline for the benchmarks: the cheapest response Django serves through the same stack."""
    return HttpResponse("hello", content_type="text/plain")
