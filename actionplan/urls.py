from django.urls import path

from actionplan import administration_views, views

app_name = "actionplan"

urlpatterns = [
    path("ataganden/", views.CommitmentListView.as_view(), name="commitment-list"),
    path("ataganden/export/", views.commitment_export, name="commitment-export"),
    path(
        "ataganden/<int:commitment_pk>/delegera/",
        views.delegation_create,
        name="delegation-create",
    ),
    path("delegeringar/<int:pk>/ta-bort/", views.delegation_revoke, name="delegation-revoke"),
    # Administration: the action plans and importing their commitments.
    path(
        "administration/handlingsplaner/",
        administration_views.PlanListView.as_view(),
        name="plan-list",
    ),
    path(
        "administration/handlingsplaner/mall.<slug:extension>",
        administration_views.ImportTemplateView.as_view(),
        name="import-template",
    ),
    path(
        "administration/handlingsplaner/<int:pk>/",
        administration_views.PlanDetailView.as_view(),
        name="plan-detail",
    ),
    path(
        "administration/handlingsplaner/<int:pk>/importera/",
        administration_views.CommitmentImportView.as_view(),
        name="commitment-import",
    ),
    path(
        "administration/handlingsplaner/<int:pk>/importera/<str:token>/",
        administration_views.CommitmentImportPreviewView.as_view(),
        name="commitment-import-preview",
    ),
    path(
        "administration/handlingsplaner/ataganden/<int:pk>/avsluta/",
        administration_views.CommitmentCloseView.as_view(),
        name="commitment-close",
    ),
]
