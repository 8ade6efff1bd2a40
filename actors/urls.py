from django.urls import path

from actors import views

app_name = "actors"

urlpatterns = [
    path("administration/", views.AdministrationView.as_view(), name="administration"),
    path("administration/logg/", views.AuditLogView.as_view(), name="audit-log"),
    # The organisation's own page shows its reporting record, so it lives in followup
    # (followup:organisation-detail, /administration/organisationer/<pk>/).
    path(
        "administration/organisationer/",
        views.OrganisationListView.as_view(),
        name="organisation-list",
    ),
    path(
        "administration/organisationer/ny/",
        views.OrganisationCreateView.as_view(),
        name="organisation-create",
    ),
    path(
        "administration/organisationer/<int:pk>/andra/",
        views.OrganisationUpdateView.as_view(),
        name="organisation-update",
    ),
    path(
        "administration/organisationer/<int:pk>/avaktivera/",
        views.OrganisationSetActiveView.as_view(is_active=False),
        name="organisation-deactivate",
    ),
    path(
        "administration/organisationer/<int:pk>/ateraktivera/",
        views.OrganisationSetActiveView.as_view(is_active=True),
        name="organisation-reactivate",
    ),
    path("administration/personer/", views.PersonListView.as_view(), name="person-list"),
    path("administration/personer/<int:pk>/", views.person_detail, name="person-detail"),
    path(
        "administration/personer/<int:pk>/behorighet/",
        views.person_access,
        name="person-access",
    ),
    path(
        "administration/personer/<int:pk>/medlemskap/ny/",
        views.membership_create,
        name="membership-create",
    ),
    path(
        "administration/personer/<int:pk>/medlemskap/<int:membership_pk>/",
        views.membership_update,
        name="membership-update",
    ),
    path(
        "administration/personer/<int:pk>/medlemskap/<int:membership_pk>/avsluta/",
        views.membership_end,
        name="membership-end",
    ),
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
