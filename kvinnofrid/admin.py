"""Django's admin, behind the portal's two factors.

Everybody in the admin is staff, and staff must sign in with two factors (actors.two_factor):
the admin answers only a session verified with a device that still exists. A session that has a
code still to enter never gets here (TwoFactorMiddleware sends it to the code page first).
"""

from django.contrib import admin

from actors.two_factor import verified_device


class PortalAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return super().has_permission(request) and verified_device(request) is not None
