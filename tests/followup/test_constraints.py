import datetime

import pytest
from django.db import IntegrityError, transaction

from followup.models import ReportingPeriod
from tests.factories import ProgressReportFactory, ReportingPeriodFactory

pytestmark = pytest.mark.django_db


def test_one_progress_report_per_commitment_organisation_and_period():
    report = ProgressReportFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReportFactory(
            commitment=report.commitment, organisation=report.organisation, period=report.period
        )


@pytest.mark.parametrize("percent", [101, 140])
def test_percent_done_above_100_is_refused(percent):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReportFactory(percent_done=percent)


@pytest.mark.parametrize("percent", [0, 100])
def test_percent_done_from_0_to_100_is_accepted(percent):
    assert ProgressReportFactory(percent_done=percent).pk


def test_a_status_that_does_not_exist_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReportFactory(status="splendid")


def test_a_state_that_does_not_exist_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReportFactory(state="lost")


@pytest.mark.parametrize(
    "dates",
    [
        {"opens_on": datetime.date(2026, 12, 20)},  # opens after the due date
        {"closes_on": datetime.date(2026, 12, 1)},  # closes before the due date
    ],
)
def test_reporting_period_dates_out_of_order_are_refused(dates):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportingPeriodFactory(
            year=2030,
            **{
                "opens_on": datetime.date(2026, 11, 1),
                "due_on": datetime.date(2026, 12, 15),
                "closes_on": datetime.date(2027, 1, 31),
                **dates,
            },
        )


def test_a_reporting_period_year_is_unique():
    period = ReportingPeriodFactory(year=2025)

    with pytest.raises(IntegrityError), transaction.atomic():
        ReportingPeriod.objects.create(
            year=2025, opens_on=period.opens_on, due_on=period.due_on, closes_on=period.closes_on
        )


def test_overlapping_reporting_periods_are_refused_by_the_database():
    ReportingPeriodFactory(year=2026)  # 2026-11-01 to 2027-01-31

    with pytest.raises(IntegrityError), transaction.atomic():
        ReportingPeriod.objects.create(
            year=2027,
            opens_on=datetime.date(2027, 1, 31),  # the day the 2026 period closes
            due_on=datetime.date(2027, 3, 31),
            closes_on=datetime.date(2027, 4, 30),
        )


def test_a_period_may_open_the_day_after_another_closes():
    ReportingPeriodFactory(year=2026)

    assert ReportingPeriod.objects.create(
        year=2027,
        opens_on=datetime.date(2027, 2, 1),
        due_on=datetime.date(2027, 3, 31),
        closes_on=datetime.date(2027, 4, 30),
    ).pk
