from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actionplan.models import Commitment
from actors import permissions, services
from actors.forms import DelegationForm
from actors.models import Delegation


@login_required
def delegation_create(request, commitment_pk):
    commitment = permissions.get_object_or_404_scoped(
        Commitment.objects.for_list(), pk=commitment_pk
    )
    organisations = permissions.delegating_organisations(request.user, commitment)
    if not organisations.exists():
        # Commitments are public: the person may see this one, but not hand it on.
        raise PermissionDenied
    form = DelegationForm(request.POST or None, organisations=organisations, user=request.user)
    if request.method == "POST" and form.is_valid():
        delegation = services.delegation_grant(
            commitment=commitment,
            organisation=form.cleaned_data["organisation"],
            delegate=form.cleaned_data["delegate"],
            granted_by=request.user,
        )
        messages.success(
            request,
            _("%(person)s kan nu rapportera om åtagandet.") % {"person": delegation.delegate},
        )
        return redirect("actionplan:commitment-detail", pk=commitment.pk)
    return render(request, "actors/delegation_form.html", {"form": form, "commitment": commitment})


@login_required
@require_POST
def delegation_revoke(request, pk):
    delegation = permissions.get_object_or_404_scoped(
        Delegation.objects.select_related("delegate", "commitment"), pk=pk
    )
    if (
        not permissions.coordinated_organisations(request.user)
        .filter(pk=delegation.organisation_id)
        .exists()
    ):
        # The delegate and county staff see the delegation; nobody else learns it exists.
        if (
            delegation.delegate_id == request.user.pk
            or permissions.access_for(request).sees_all_reports
        ):
            raise PermissionDenied
        raise Http404
    services.delegation_revoke(delegation=delegation)
    messages.success(
        request,
        _("%(person)s kan inte längre rapportera om åtagandet.") % {"person": delegation.delegate},
    )
    return redirect("actionplan:commitment-detail", pk=delegation.commitment_id)
