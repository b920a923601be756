"""The authentication backend: Django's, reading a signed-in user's Customer in the same query.

Every customer page needs both (``customer_required``); ``AuthenticationMiddleware`` loads the user
by this backend's ``get_user``, so the customer row comes with it (a LEFT JOIN on a one-to-one)
instead of a second query on every page (issue 15). Sessions opened before it, which name
Django's ``ModelBackend``, keep working (it stays in ``AUTHENTICATION_BACKENDS``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class CustomerBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        try:
            user = model._default_manager.select_related("customer").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None  # ModelBackend's rule: active users
