from django.urls import path

from actionplan import views

app_name = "actionplan"

urlpatterns = [
    path("ataganden/", views.CommitmentListView.as_view(), name="commitment-list"),
    path("ataganden/<int:pk>/", views.CommitmentDetailView.as_view(), name="commitment-detail"),
]
