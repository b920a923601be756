"""Benchmark-only URLs: the production ones plus ``/hello/``, the baseline every page is compared with.

``/hello/`` is the cheapest response Django serves through the same middleware (session,
authentication, security headers); it is not in ``guichet.urls``, so production never serves it.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("hello/", hello, name="hello"), path("", include("guichet.urls"))]
