"""WSGI entry point (granian or any WSGI server)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings.dev")
application = get_wsgi_application()
