"""Back-office pages, one module per area; each view is wrapped by ``access.staff_view(action)``."""
