"""Versioned JSON API (django-ninja) with its OpenAPI document."""
