"""Onboarding models: invitations and self-registration (auth), identity verification (kyc_models)."""

from .kyc_models import *  # noqa: F403
