"""JSON API URLs (namespace ``api``): versioned, described by OpenAPI at /api/v1/docs."""

app_name = "api"

urlpatterns: list = []
