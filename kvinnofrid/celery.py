"""The Celery application, wired the standard way: settings under the CELERY namespace."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kvinnofrid.settings")

app = Celery("kvinnofrid")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
