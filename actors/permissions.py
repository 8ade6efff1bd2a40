"""Who a signed-in person is in the collaboration, and the scoped getters views use.

What a person may do follows from their memberships: county staff (a county staff membership at an
active organisation) follow up and review, administrators (superusers) manage. The is_staff flag
is not a role here: it only opens the admin, for the model permissions the person holds.

Who may report on which commitment is a django-guardian object permission on the commitment (see
actionplan.permissions, which reads it, and the services that write it).

Views look objects up through the scoped getters here, so that what is outside a person's reach
answers 404 (its existence does not leak) and what they may see but not change answers 403.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.functional import cached_property

from actors.models import Membership, User


@dataclass(frozen=True)
class Access:
    """What one signed-in person is, worked out once per request (see `access_for`)."""

    user: User | AnonymousUser

    @cached_property
    def _roles(self) -> set[str]:
        if not self.user.is_authenticated or not self.user.is_active:
            return set()
        # A role at an inactive organisation gives nothing.
        return set(
            self.user.memberships.filter(organisation__is_active=True).values_list(
                "role", flat=True
            )
        )

    @property
    def is_county_staff(self) -> bool:
        return Membership.Role.COUNTY_STAFF in self._roles

    @property
    def is_administrator(self) -> bool:
        """A superuser. Being staff only lets a person into the admin, for the model permissions
        they hold; it shows no one's reports, names or e-mail addresses (issue 11)."""
        return self.user.is_authenticated and self.user.is_active and self.user.is_superuser

    @property
    def sees_all_reports(self) -> bool:
        """County staff and administrators follow up every organisation."""
        return self.is_county_staff or self.is_administrator

    @property
    def may_review(self) -> bool:
        return self.is_county_staff


def access_for(request) -> Access:
    """The request's Access, computed at most once per request."""
    if not hasattr(request, "_kvinnofrid_access"):
        request._kvinnofrid_access = Access(request.user)
    return request._kvinnofrid_access


def get_object_or_404_scoped(queryset: QuerySet, **lookup):
    """Like get_object_or_404, but also turns malformed keys into 404 instead of 500."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def require_follow_up_access(request, *, write: bool = False) -> None:
    """County staff follow up; administrators may look. Everyone else: 403."""
    access = access_for(request)
    if not (access.is_county_staff if write else access.sees_all_reports):
        raise PermissionDenied


def require_administrator(request) -> None:
    """The portal's administration pages: administrators only. Everyone else: 403."""
    if not access_for(request).is_administrator:
        raise PermissionDenied


class AdministratorRequiredMixin:
    """For the administration pages: visitors are sent to log in, other people get 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        require_administrator(request)
        return super().dispatch(request, *args, **kwargs)


class FollowUpReaderRequiredMixin:
    """For county staff's list pages: visitors are sent to log in, other people get 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        require_follow_up_access(request)
        return super().dispatch(request, *args, **kwargs)
