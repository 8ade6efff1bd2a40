import datetime

from django.conf import settings
from django.views.generic import TemplateView


class PersonalDataView(TemplateView):
    """What personal data the portal holds, why, for how long, and the person's rights."""

    template_name = "privacy/personal_data.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            controller=settings.PRIVACY_CONTROLLER,
            contact_email=settings.PRIVACY_CONTACT_EMAIL,
            audit_log_days=settings.AUDIT_LOG_RETENTION_DAYS,
            **kwargs,
        )


class AccessibilityView(TemplateView):
    """The accessibility statement, in the form of DIGG's model for public-sector websites."""

    template_name = "privacy/accessibility.html"
    # Change it whenever the statement is reviewed: the law asks for the date of the latest one.
    reviewed_on = datetime.date(2026, 11, 26)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            controller=settings.PRIVACY_CONTROLLER,
            contact_email=settings.ACCESSIBILITY_CONTACT_EMAIL,
            reviewed_on=self.reviewed_on,
            **kwargs,
        )
