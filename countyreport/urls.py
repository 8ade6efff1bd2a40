from django.urls import path

from countyreport import views

app_name = "countyreport"

urlpatterns = [
    path("lagesrapport/", views.report_list, name="report-list"),
    path("lagesrapport/<int:year>/", views.report_detail, name="report-detail"),
    path("lagesrapport/<int:year>/bygg/", views.build_request, name="build-request"),
    path(
        "lagesrapport/<int:year>/byggen/<int:pk>/status/",
        views.build_status,
        name="build-status",
    ),
    path(
        "lagesrapport/<int:year>/byggen/<int:pk>/forsok-igen/",
        views.build_retry,
        name="build-retry",
    ),
    path(
        "lagesrapport/<int:year>/byggen/<int:pk>/publicera/",
        views.build_publish,
        name="build-publish",
    ),
    path(
        "lagesrapport/<int:year>/byggen/<int:pk>/<str:kind>/",
        views.build_download,
        name="build-download",
    ),
    path("lagesrapporter/", views.published_list, name="published-list"),
]
