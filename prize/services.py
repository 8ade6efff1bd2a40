"""The prize's writes: calls, nominations and their confirmation, hiding, attachments."""

import datetime

from django.db import transaction

from prize.models import DEFAULT_CRITERIA, Criterion, PrizeCall


@transaction.atomic
def prize_call_create(
    *,
    year: int,
    opens_on: datetime.date,
    closes_on: datetime.date,
    decision_on: datetime.date | None = None,
    description: str = "",
) -> PrizeCall:
    """A new year's call, with the four default criteria that county staff may then edit."""
    call = PrizeCall.objects.create(
        year=year,
        opens_on=opens_on,
        closes_on=closes_on,
        decision_on=decision_on,
        description=description,
    )
    Criterion.objects.bulk_create(
        Criterion(call=call, position=position, title=str(title), description=str(description))
        for position, (title, description) in enumerate(DEFAULT_CRITERIA, start=1)
    )
    return call
