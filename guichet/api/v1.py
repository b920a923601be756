"""API v1: one NinjaAPI, one router per area (see guichet/api/routers/). OpenAPI at /api/v1/openapi.json."""

from ninja import NinjaAPI

from .routers import simulations

api = NinjaAPI(title="Guichet API", version="1", urls_namespace="api-v1")
api.add_router("/simulations/", simulations.router)
