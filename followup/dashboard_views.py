"""County staff's landing page (issue 10); the figures come from followup.dashboard."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from actors import permissions
from followup.dashboard import period_dashboard_read
from followup.models import ReportingPeriod


@login_required
@require_safe
def dashboard(request):
    """Översikt: the open reporting period at a glance, where county staff land after signing in.

    Without an open period it says so and leads to the periods, where county staff open one.
    """
    permissions.require_follow_up_access(request)
    today = timezone.localdate()
    period = ReportingPeriod.objects.current(today)
    context = {"period": period, "today": today}
    if period is None:
        latest = ReportingPeriod.objects.first()  # the newest year
        context["latest_period"] = latest
        context["latest_state"] = latest.state_on(today) if latest else ""
    else:
        context["dashboard"] = period_dashboard_read(period=period, user=request.user, today=today)
    return render(request, "followup/dashboard.html", context)
