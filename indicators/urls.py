from django.urls import path

from . import goal_views

app_name = "indicators"

urlpatterns = [
    # --- goal pages (public) ---
    path("mal/", goal_views.GoalListView.as_view(), name="goal-list"),
    path("mal/<int:number>/", goal_views.GoalDetailView.as_view(), name="goal-detail"),
    # --- end of goal pages ---
]
