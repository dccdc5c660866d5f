"""WSGI entry point, served by gunicorn through ``frisat serve``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frisat.web.settings")
application = get_wsgi_application()
