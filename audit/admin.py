from auditlog.models import LogEntry
from django.contrib import admin

# Administrators read the audit log in the portal (/administration/logg/): in Swedish, with its
# filters, and with anything secret masked. django-auditlog's own admin list would be a second,
# English reading place of the same entries, so it is taken down.
if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)
