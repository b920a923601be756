"""Public page "Nos crédits": the general information on each credit product offered (CCD2 art. 7,
ordonnance n° 2025-880), read from ``guichet.origination.information``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone

from guichet.origination.information import general_information


def products(request: HttpRequest) -> HttpResponse:
    return render(
        request, "portal/products/index.html", {"products": general_information(on=timezone.localdate())}
    )


urlpatterns: list[URLPattern] = [path("nos-credits/", products, name="products")]
