"""Customer space URLs (namespace ``portal``), assembled from one module per area."""

from .views import (
    assessment,
    auth,
    care,
    documents,
    forbearance,
    kyc,
    payments,
    products,
    profile,
    revolving,
    signing,
    simulations,
    space,
    support,
)

app_name = "portal"

urlpatterns = [
    *space.urlpatterns,
    *auth.urlpatterns,
    *documents.urlpatterns,
    *profile.urlpatterns,
    *payments.urlpatterns,
    *revolving.urlpatterns,
    *simulations.urlpatterns,
    *signing.urlpatterns,
    *support.urlpatterns,
    *kyc.urlpatterns,
    *care.urlpatterns,
    *forbearance.urlpatterns,
    *products.urlpatterns,
    *assessment.urlpatterns,
]
