from django.urls import path

from actors import views

app_name = "actors"

urlpatterns = [
    path("administration/", views.AdministrationView.as_view(), name="administration"),
    # Under export/, so that no slug of the organisations' pages can shadow them.
    path(
        "administration/export/organisationer/",
        views.OrganisationExportView.as_view(),
        name="organisation-export",
    ),
    path(
        "administration/export/personer/",
        views.PersonExportView.as_view(),
        name="person-export",
    ),
]
