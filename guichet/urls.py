"""Root URL map: the customer space at /, the back office at /backoffice/, the JSON API at /api/."""

from django.urls import include, path

from guichet.portal.views.language import switch_language

urlpatterns = [
    path("i18n/setlang/", switch_language, name="set_language"),
    path("backoffice/", include("guichet.backoffice.urls")),
    path("api/", include("guichet.api.urls")),
    path("", include("guichet.portal.urls")),
]
