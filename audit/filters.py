import datetime

import django_filters
from auditlog.models import LogEntry
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.queries import kind_choices, kind_filter


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class AuditLogFilter(django_filters.FilterSet):
    """The administrators' filters on the audit log. Dates are whole days in the portal's time
    zone, compared as a range of the timestamp so that its index serves them."""

    kind = django_filters.ChoiceFilter(
        label=_("Typ av händelse"), method="of_kind", empty_label=_("Alla")
    )
    person = django_filters.CharFilter(
        label=_("Person"),
        method="by_person",
        max_length=150,
        help_text=_("Användarnamn, namn eller e-postadress på den som gjorde det."),
    )
    date_from = django_filters.DateFilter(label=_("Från och med"), method="since", widget=DateInput)
    date_to = django_filters.DateFilter(label=_("Till och med"), method="until", widget=DateInput)
    q = django_filters.CharFilter(
        label=_("Sök"),
        method="search",
        max_length=200,
        help_text=_("Objekt, ändrade värden, sida eller adress."),
    )

    class Meta:
        model = LogEntry
        fields = ["kind", "person", "date_from", "date_to", "q"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["kind"].extra["choices"] = kind_choices()

    def of_kind(self, queryset, name, value):
        condition = kind_filter(value)
        return queryset if condition is None else queryset.filter(condition)

    def by_person(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(actor__username__icontains=value)
            | Q(actor__first_name__icontains=value)
            | Q(actor__last_name__icontains=value)
            | Q(actor__email__icontains=value)
        )

    # The log starts long after EARLIEST and ends long before LATEST: a date outside them
    # leaves the list as it is, instead of reaching the edge of what a timestamp can hold.
    EARLIEST = datetime.date(2000, 1, 1)
    LATEST = datetime.date(9000, 1, 1)

    def since(self, queryset, name, value):
        if value < self.EARLIEST:
            return queryset
        return queryset.filter(timestamp__gte=_start_of(min(value, self.LATEST)))

    def until(self, queryset, name, value):
        if value >= self.LATEST:
            return queryset
        day_after = max(value, self.EARLIEST) + datetime.timedelta(days=1)
        return queryset.filter(timestamp__lt=_start_of(day_after))

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(object_repr__icontains=value)
            | Q(changes__icontains=value)
            | Q(additional_data__icontains=value)
            | Q(remote_addr__icontains=value)
        )
