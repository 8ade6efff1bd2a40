from django.urls import path

from indicators import goal_views, views

app_name = "indicators"

urlpatterns = [
    # Everyone reads the goals with their indicators and the commitments' public status.
    path("mal/", goal_views.GoalListView.as_view(), name="goal-list"),
    path("mal/<int:number>/", goal_views.GoalDetailView.as_view(), name="goal-detail"),
    # County staff (and administrators) manage the indicators and their values.
    path("indikatorer/hantera/", views.IndicatorListView.as_view(), name="manage-list"),
    path("indikatorer/hantera/ny/", views.IndicatorCreateView.as_view(), name="manage-create"),
    path("indikatorer/hantera/<int:pk>/", views.IndicatorEditView.as_view(), name="manage-edit"),
    path(
        "indikatorer/hantera/<int:pk>/varden/<int:year>/",
        views.YearValuesView.as_view(),
        name="manage-year",
    ),
    path(
        "indikatorer/hantera/importera/", views.IndicatorImportView.as_view(), name="manage-import"
    ),
    path(
        "indikatorer/hantera/exempel.<slug:extension>",
        views.ImportSampleView.as_view(),
        name="manage-sample",
    ),
    path(
        "indikatorer/hantera/importera/<str:token>/",
        views.IndicatorImportPreviewView.as_view(),
        name="manage-import-preview",
    ),
]
