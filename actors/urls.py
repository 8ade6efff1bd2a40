from django.urls import path

from actors import views

app_name = "actors"

urlpatterns = [
    path("administration/", views.AdministrationView.as_view(), name="administration"),
    path("administration/logg/", views.AuditLogView.as_view(), name="audit-log"),
]
