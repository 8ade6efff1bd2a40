app_name = "prize"

urlpatterns = []
