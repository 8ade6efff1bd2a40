"""The jury's, the decision's and the public winners' addresses (included by prize.urls)."""

from django.urls import path

from prize import jury_views

urlpatterns = [
    # The public: published winners only.
    path("kvinnofridspriset/", jury_views.winners, name="winners"),
    path("kvinnofridspriset/<int:year>/", jury_views.winners_year, name="winners-year"),
    # County staff.
    path(
        "kvinnofridspriset/hantera/<int:year>/jury/",
        jury_views.manage_jury,
        name="manage-jury",
    ),
    path(
        "kvinnofridspriset/hantera/<int:year>/jury/<int:pk>/ta-bort/",
        jury_views.manage_jury_remove,
        name="manage-jury-remove",
    ),
    path(
        "kvinnofridspriset/hantera/<int:year>/jury/<int:pk>/ordforande/",
        jury_views.manage_jury_chair,
        name="manage-jury-chair",
    ),
    path(
        "kvinnofridspriset/hantera/<int:year>/rangordning/",
        jury_views.ranking,
        name="ranking",
    ),
    path("kvinnofridspriset/hantera/<int:year>/beslut/", jury_views.decision, name="decision"),
    path(
        "kvinnofridspriset/hantera/<int:year>/beslut/publicera/",
        jury_views.decision_publish,
        name="decision-publish",
    ),
    path(
        "kvinnofridspriset/hantera/<int:year>/beslut/<int:pk>/ta-bort/",
        jury_views.award_withdraw,
        name="award-withdraw",
    ),
    path(
        "kvinnofridspriset/hantera/<int:year>/beslut/<int:pk>/gott-exempel/",
        jury_views.award_practice,
        name="award-practice",
    ),
    # The jurors.
    path("kvinnofridspriset/<int:year>/jury/", jury_views.juror_home, name="juror-home"),
    path(
        "kvinnofridspriset/<int:year>/jury/oppna-poangen/",
        jury_views.juror_open_scores,
        name="juror-open-scores",
    ),
    path(
        "kvinnofridspriset/<int:year>/jury/<int:pk>/",
        jury_views.juror_nomination,
        name="juror-nomination",
    ),
]
