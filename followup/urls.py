from django.urls import path

from followup import dashboard_views, views

app_name = "followup"

urlpatterns = [
    path("mina-uppgifter/", views.my_tasks, name="my-tasks"),
    path("ataganden/<int:pk>/", views.CommitmentDetailView.as_view(), name="commitment-detail"),
    path(
        "ataganden/<int:commitment_pk>/rapport/<slug:organisation_slug>/",
        views.report_edit,
        name="report-edit",
    ),
    path("rapporter/export/", views.report_export, name="report-export"),
    path("rapporter/<int:pk>/", views.report_detail, name="report-detail"),
    path("rapporter/<int:pk>/godkann/", views.report_approve, name="report-approve"),
    path("rapporter/<int:pk>/komplettera/", views.report_return, name="report-return"),
    path("granskning/", views.ReviewQueueView.as_view(), name="review-queue"),
]

urlpatterns += [
    path("uppfoljning/", views.period_list, name="period-list"),
    path("uppfoljning/<int:year>/", views.period_overview, name="period-overview"),
    path("uppfoljning/<int:year>/las/", views.period_lock, name="period-lock"),
    path("uppfoljning/<int:year>/paminn-alla/", views.remind_all_late, name="remind-all-late"),
    path(
        "uppfoljning/<int:year>/organisationer/<slug:organisation_slug>/",
        views.period_organisation,
        name="period-organisation",
    ),
    path(
        "uppfoljning/<int:year>/paminn/<slug:organisation_slug>/",
        views.remind_now,
        name="remind-now",
    ),
    path(
        "uppfoljning/<int:year>/paminnelser/",
        views.ReminderLogView.as_view(),
        name="reminder-log",
    ),
    path("ataganden/<int:commitment_pk>/bevaka/", views.follow_toggle, name="follow"),
    path("mina-bevakningar/", views.my_follows, name="my-follows"),
]

urlpatterns += [
    # The administration's page of one organisation (its forms are actors:organisation-*).
    path(
        "administration/organisationer/<int:pk>/",
        views.organisation_detail,
        name="organisation-detail",
    ),
]

urlpatterns += [
    # dashboard (issue 10): county staff's landing page.
    path("oversikt/", dashboard_views.dashboard, name="dashboard"),
]
