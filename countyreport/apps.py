from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountyReportConfig(AppConfig):
    name = "countyreport"
    verbose_name = _("Lägesrapport")
