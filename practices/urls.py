from django.urls import path

from practices import views

app_name = "practices"

urlpatterns = [
    path("goda-exempel/", views.PracticeListView.as_view(), name="practice-list"),
    path("goda-exempel/foresla/", views.practice_create, name="practice-create"),
    path("goda-exempel/forslag/", views.ProposalListView.as_view(), name="proposal-list"),
    # The entry's address to share: its slug, frozen once it is published.
    path("goda-exempel/<slug:slug>/", views.practice_detail, name="practice-detail"),
    path("goda-exempel/<slug:slug>/andra/", views.practice_update, name="practice-update"),
    path("goda-exempel/<slug:slug>/skicka/", views.practice_propose, name="practice-propose"),
    path("goda-exempel/<slug:slug>/godkann/", views.practice_approve, name="practice-approve"),
    path("goda-exempel/<slug:slug>/atersand/", views.practice_return, name="practice-return"),
]
