from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
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


class RequestBodyLimitMiddleware:
    """Refuse a request body larger than the portal takes (413) before anything reads it.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE leaves out uploaded files: without this, anybody could
    make a web process read a 50 MB multipart body (to disk) before the view says no. The
    Content-Length is checked instead, so nothing is read at all; a chunked body, which announces
    no length, is refused too (the portal's forms never send one). The pages named in
    REQUEST_BODY_IMPORT_URL_NAMES take up to REQUEST_BODY_IMPORT_MAX_SIZE.

    It runs after LocaleMiddleware, so the page is in the person's language; nothing before it
    reads the body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "HTTP_TRANSFER_ENCODING" in request.META:
            return self._refuse(request, settings.REQUEST_BODY_MAX_SIZE)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads nothing of a body whose length it cannot read either
        if length > settings.REQUEST_BODY_MAX_SIZE:
            limit = self._limit_for(request)
            if length > limit:
                return self._refuse(request, limit)
        return self.get_response(request)

    @staticmethod
    def _limit_for(request) -> int:
        url_limits = getattr(settings, "REQUEST_BODY_URL_LIMITS", {})
        if settings.REQUEST_BODY_IMPORT_URL_NAMES or url_limits:
            try:
                match = resolve(request.path_info)
            except Resolver404:
                pass
            else:
                if match.view_name in settings.REQUEST_BODY_IMPORT_URL_NAMES:
                    return settings.REQUEST_BODY_IMPORT_MAX_SIZE
                # Pages with uploads of their own size (REQUEST_BODY_URL_LIMITS: prize).
                if match.view_name in url_limits:
                    return url_limits[match.view_name]
        return settings.REQUEST_BODY_MAX_SIZE

    @staticmethod
    def _refuse(request, limit: int):
        content = render_to_string("413.html", {"limit": limit})
        return HttpResponse(content, status=413)
