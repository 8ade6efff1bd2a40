"""The Celery application, wired the standard way: settings under the CELERY namespace."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kvinnofrid.settings")

# The project-level tasks (the health round-trip) live outside the apps autodiscovery reads.
app = Celery("kvinnofrid", include=["kvinnofrid.tasks"])
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
