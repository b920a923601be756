"""Back-office URLs (namespace ``backoffice``)."""

app_name = "backoffice"

urlpatterns: list = []
