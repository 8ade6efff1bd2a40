from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("personuppgifter/", views.PersonalDataView.as_view(), name="personal-data"),
    path("tillganglighet/", views.AccessibilityView.as_view(), name="accessibility"),
]
