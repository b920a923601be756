"""Expose the lender profile to every template as ``lender``."""

from django.http import HttpRequest

from .profile import LenderProfile, get_profile


def lender(request: HttpRequest) -> dict[str, LenderProfile]:
    return {"lender": get_profile()}
