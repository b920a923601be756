"""API v1: one NinjaAPI, one router per area (see guichet/api/routers/). OpenAPI at /api/v1/openapi.json.

Every operation passes ``common.guard`` (JSON bodies only, CSRF when the session cookie is sent) and
every error answers ``{"detail", "code"}`` as its OpenAPI document says (``common``'s table).
"""

from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from guichet.errors import GuichetError

from .common import guard, on_guichet_error, on_http_error, on_validation_error
from .routers import cards, simulations

api = NinjaAPI(title="Guichet API", version="1", urls_namespace="api-v1")
api.add_exception_handler(HttpError, on_http_error)
api.add_exception_handler(ValidationError, on_validation_error)
api.add_exception_handler(GuichetError, on_guichet_error)
api.add_decorator(guard, mode="view")
api.add_router("/simulations/", simulations.router)
api.add_router("/cards/", cards.router)
