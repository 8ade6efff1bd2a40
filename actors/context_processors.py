from django.utils.functional import SimpleLazyObject

from actors import two_factor
from actors.permissions import access_for


def access(request):
    """`access` in every template, worked out only when a template asks for it, and whether the
    signed-in person still has a two-factor code to enter (the menu then offers only signing out:
    the pages behind its links would send them to the code anyway)."""
    return {
        "access": SimpleLazyObject(lambda: access_for(request)),
        "two_factor_pending": SimpleLazyObject(
            lambda: request.user.is_authenticated and two_factor.pending_step(request) is not None
        ),
    }
