"""Root URL map: the customer space at /, the back office at /backoffice/, the JSON API at /api/."""

from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("backoffice/", include("guichet.backoffice.urls")),
    path("api/", include("guichet.api.urls")),
    path("", include("guichet.portal.urls")),
]
