from django.urls import path

from prize import views

app_name = "prize"

urlpatterns = [
    # County staff.
    path("kvinnofridspriset/hantera/", views.manage_call_list, name="manage-call-list"),
    path("kvinnofridspriset/hantera/ny/", views.manage_call_create, name="manage-call-create"),
    path(
        "kvinnofridspriset/hantera/<int:year>/", views.manage_call_update, name="manage-call-update"
    ),
    path(
        "kvinnofridspriset/hantera/<int:year>/nomineringar/",
        views.manage_nomination_list,
        name="manage-nomination-list",
    ),
    path(
        "kvinnofridspriset/hantera/nomineringar/<int:pk>/",
        views.manage_nomination_detail,
        name="manage-nomination-detail",
    ),
    path(
        "kvinnofridspriset/hantera/nomineringar/<int:pk>/dolj/",
        views.manage_nomination_hide,
        name="manage-nomination-hide",
    ),
    path(
        "kvinnofridspriset/hantera/nomineringar/<int:pk>/visa/",
        views.manage_nomination_unhide,
        name="manage-nomination-unhide",
    ),
    # Nominating.
    path("kvinnofridspriset/<int:year>/nominera/", views.nominate, name="nominate"),
    path("kvinnofridspriset/mina-nomineringar/", views.my_nominations, name="my-nominations"),
    path(
        "kvinnofridspriset/nomineringar/<int:pk>/",
        views.nomination_detail,
        name="nomination-detail",
    ),
    path(
        "kvinnofridspriset/nomineringar/<int:pk>/andra/",
        views.nomination_edit,
        name="nomination-edit",
    ),
    path(
        "kvinnofridspriset/bekrafta/<str:token>/",
        views.nomination_confirm,
        name="nomination-confirm",
    ),
    path(
        "kvinnofridspriset/bilagor/<int:pk>/", views.attachment_download, name="attachment-download"
    ),
]

# --- jury: the jury, the ranking, the decision and the public winners' pages (prize/jury_urls.py)
from prize.jury_urls import urlpatterns as jury_urlpatterns  # noqa: E402

urlpatterns += jury_urlpatterns
