from django.urls import path

from actors import views

app_name = "actors"

urlpatterns = [
    path("administration/", views.AdministrationView.as_view(), name="administration"),
    path(
        "administration/inbjudningar/",
        views.InvitationListView.as_view(),
        name="invitation-list",
    ),
    path(
        "administration/inbjudningar/ny/",
        views.InvitationCreateView.as_view(),
        name="invitation-create",
    ),
    path(
        "administration/inbjudningar/<int:pk>/skicka-igen/",
        views.invitation_resend,
        name="invitation-resend",
    ),
    path(
        "administration/inbjudningar/<int:pk>/aterkalla/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("konto/inbjudan/<str:token>/", views.invitation_accept, name="invitation-accept"),
]
