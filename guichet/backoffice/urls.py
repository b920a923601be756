"""Back-office URLs (namespace ``backoffice``), assembled from one module per area."""

from .views import (
    applications,
    audit,
    auth,
    cards,
    care,
    collections,
    customers,
    kyc,
    operations,
    verification,
)

app_name = "backoffice"

urlpatterns = [
    *auth.urlpatterns,
    *customers.urlpatterns,
    *kyc.urlpatterns,
    *collections.urlpatterns,
    *care.urlpatterns,
    *applications.urlpatterns,
    *audit.urlpatterns,
    *verification.urlpatterns,
    *operations.urlpatterns,
    *cards.urlpatterns,
]
