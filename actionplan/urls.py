from django.urls import path

from actionplan import views

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
]
