from django.utils.functional import SimpleLazyObject

from actors.permissions import access_for


def access(request):
    """`access` in every template, worked out only when a template asks for it."""
    return {"access": SimpleLazyObject(lambda: access_for(request))}
