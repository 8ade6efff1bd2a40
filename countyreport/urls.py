app_name = "countyreport"

urlpatterns = []
