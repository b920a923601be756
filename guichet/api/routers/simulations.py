"""Simulation endpoints (new credit, early repayment impact, consolidation)."""

from ninja import Router

router = Router(tags=["simulations"])
