"""The Celery application, wired the standard way: settings under the CELERY namespace."""

import os

from celery import Celery

# Before django-guid's receivers are connected (when the apps are ready), so that the task's log
# line is written while the request id is still set.
from kvinnofrid import logs  # noqa: F401

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kvinnofrid.settings")

# The project-level tasks (the health round-trip) live outside the apps autodiscovery reads.
app = Celery("kvinnofrid", include=["kvinnofrid.tasks"])
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
