"""Who and from where, for every audit entry a request writes; and the refused accesses."""

from auditlog.middleware import AuditlogMiddleware

from audit.events import Event, client_address, record_event, safe_path


class AuditMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware (the person signed in and the request id go on every entry
    the request writes), with the portal's idea of the client's address, and one entry for every
    refused access (403).

    Placed after AuthenticationMiddleware. It adds no query of its own to a request that is not
    refused: the person is the one AuthenticationMiddleware loads anyway.

    Only 403s are recorded, not 404s: a 404 is both "outside your reach" and "no such page", and
    signed-in people and robots mistype addresses all day; recording those would bury the
    refusals that matter. A 403 is the portal knowingly refusing someone something they found.
    """

    @staticmethod
    def _get_remote_addr(request):
        return client_address(request)

    @staticmethod
    def _get_remote_port(request):
        return None  # the proxy's port towards gunicorn says nothing about the visitor

    def __call__(self, request):
        response = super().__call__(request)
        if response.status_code == 403:
            record_event(
                Event.ACCESS_REFUSED,
                request=request,
                details={"path": safe_path(request), "method": request.method},
            )
        return response
