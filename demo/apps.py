from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data and its generator (`seed_demo`); no app imports it."""

    name = "demo"
    verbose_name = "Demo"
