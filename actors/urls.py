from django.urls import path

from actors import views

app_name = "actors"

urlpatterns = [
    path(
        "ataganden/<int:commitment_pk>/delegera/",
        views.delegation_create,
        name="delegation-create",
    ),
    path("delegeringar/<int:pk>/ta-bort/", views.delegation_revoke, name="delegation-revoke"),
]
