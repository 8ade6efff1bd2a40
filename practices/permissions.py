"""Who may read and write which entries of the library.

Approved entries are public. Drafts, proposals and returned entries are read by the coordinators
of the proposing organisation, county staff and administrators; everyone else gets 404, so that
an unpublished entry's existence does not leak. The proposing organisation's coordinators write
while it holds the entry; county staff review, and may edit any entry.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from actionplan import permissions as reporting
from actors.models import Organisation
from actors.permissions import Access, access_for, get_object_or_404_scoped
from practices.models import Practice


def visible_practices(request) -> QuerySet[Practice]:
    return Practice.objects.visible_to(request.user, sees_all=access_for(request).sees_all_reports)


def get_visible_practice_or_404(request, slug: str, queryset=None) -> Practice:
    queryset = (queryset if queryset is not None else Practice.objects).visible_to(
        request.user, sees_all=access_for(request).sees_all_reports
    )
    return get_object_or_404_scoped(queryset, slug=slug)


def proposing_organisations(request) -> QuerySet[Organisation]:
    """The organisations a person may propose entries for: the ones they coordinate; county
    staff may enter one for any active organisation."""
    if access_for(request).is_county_staff:
        return Organisation.objects.active()
    return reporting.coordinated_organisations(request.user)


def coordinates_proposer(request, practice: Practice) -> bool:
    return (
        reporting.coordinated_organisations(request.user)
        .filter(pk=practice.proposing_organisation_id)
        .exists()
    )


def may_edit(request, practice: Practice) -> bool:
    if access_for(request).is_county_staff:
        return True
    return practice.is_editable_by_proposer and coordinates_proposer(request, practice)


def may_review(request, practice: Practice) -> bool:
    """County staff review, but not what their own organisation proposed."""
    access: Access = access_for(request)
    return access.may_review and not coordinates_proposer(request, practice)


def require_edit(request, practice: Practice) -> None:
    if not may_edit(request, practice):
        raise PermissionDenied


def require_review(request, practice: Practice) -> None:
    if not may_review(request, practice):
        raise PermissionDenied
