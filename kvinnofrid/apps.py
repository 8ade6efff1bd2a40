from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """Django's admin, with `admin.site` a PortalAdminSite (kvinnofrid/admin.py): every
    registration goes to it unchanged."""

    default_site = "kvinnofrid.admin.PortalAdminSite"
