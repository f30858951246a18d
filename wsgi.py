"""WSGI entry point for gunicorn: ``gunicorn wsgi:app``."""

from lms import create_app
from lms.serving import settle

app = create_app()
settle(app)  # the garbage collector tuned for a long-lived worker (lms/serving.py)
