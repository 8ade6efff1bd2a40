from django.http import HttpResponse
from django.urls import include, path

CEILING_PATH = "benchmark/ceiling/"


def ceiling(request):
    """The least a page can cost: the same middleware, no work of its own."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path(CEILING_PATH, ceiling, name="benchmark-ceiling"),
    path("", include("kvinnofrid.urls")),
]
