"""WSGI entry for gunicorn: `gunicorn lapis.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapis.settings")
application = get_wsgi_application()
