from django.utils.cache import patch_cache_control


class PrivatePagesNotStoredMiddleware:
    """A signed-in person's pages are never kept by a browser's or a shared cache.

    They hold unpublished reports and colleagues' names: after logging out on a shared computer,
    the back button must not show them again, and no proxy may serve them to somebody else.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
