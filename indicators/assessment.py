"""How an indicator is going: the progress assessment of the goal pages and the county report.

A pure method, without the database: `assess` takes what it needs of an indicator (its kind,
desired direction, base year, target and target year) and its county series ({year: value}), and
returns an `Assessment` with a result, a judgement against the target where one is set, and one
sentence that says why. The same text explains the method on the pages and in the report
(`method_paragraphs`), with the thresholds below written into it, so the text and the code
cannot drift apart.

The method:

1. The latest year with a value is compared with the base year when the indicator has one (and
   a value for it), else with the year before (the latest earlier year with a value).
2. A change smaller than the threshold (rounded as the sentence shows it) is "no clear change".
   Counts and rates change by a few per cent a year from reporting practice and chance alone
   (small numbers in a county of two million people), so they must move by 5 % or more,
   relative to the earlier value. Shares are already relative: a relative threshold would make
   a move from 4 % to 4.3 % "clear", so they must move by 2 percentage points or more; that is
   about the margin of error of a county-wide survey such as NTU, while one municipality
   changing its answer to a yes/no question moves the share by about 3 to 4 points and so
   counts, as it should: a routine was gained or lost.
3. A clear change is "the desired way" or "the wrong way" by the indicator's desired direction.
4. A target is "reached" when the latest value is at or beyond it (in the desired direction);
   "on track" when the latest value is at least where a straight line from the starting point
   (the base year, else the first year with a value) to the target in the target year would be
   now; else "not on track", as it also is when the target year has passed without the target
   being reached.
"""

import enum
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Indicator

RELATIVE_THRESHOLD_PERCENT = Decimal(5)  # counts and rates
POINTS_THRESHOLD = Decimal(2)  # shares, in percentage points
SHARE_KINDS = (Indicator.Kind.PERCENT, Indicator.Kind.YES_NO_SHARE)


class Result(enum.StrEnum):
    DESIRED_WAY = "desired_way"
    WRONG_WAY = "wrong_way"
    NO_CLEAR_CHANGE = "no_clear_change"
    TOO_LITTLE_DATA = "too_little_data"

    @property
    def label(self) -> str:
        return str(RESULT_LABELS[self])


RESULT_LABELS = {
    Result.DESIRED_WAY: gettext_lazy("Går åt önskat håll"),
    Result.WRONG_WAY: gettext_lazy("Går åt fel håll"),
    Result.NO_CLEAR_CHANGE: gettext_lazy("Ingen tydlig förändring"),
    Result.TOO_LITTLE_DATA: gettext_lazy("För lite data"),
}


class TargetResult(enum.StrEnum):
    REACHED = "reached"
    ON_TRACK = "on_track"
    NOT_ON_TRACK = "not_on_track"

    @property
    def label(self) -> str:
        return str(TARGET_LABELS[self])


TARGET_LABELS = {
    TargetResult.REACHED: gettext_lazy("Målet är nått"),
    TargetResult.ON_TRACK: gettext_lazy("I takt med målet"),
    TargetResult.NOT_ON_TRACK: gettext_lazy("Inte i takt med målet"),
}


@dataclass(frozen=True)
class IndicatorFacts:
    """What the method needs of an indicator: a model instance, or these values, will do."""

    kind: str
    desired_direction: str
    base_year: int | None = None
    target: Decimal | None = None
    target_year: int | None = None


@dataclass(frozen=True)
class Assessment:
    result: Result
    sentence: str
    latest_year: int | None = None
    latest_value: Decimal | None = None
    compared_year: int | None = None
    compared_value: Decimal | None = None
    # Relative change in per cent for counts and rates, percentage points for shares; None
    # when there is nothing to compare, or a count rose from zero (no relative change).
    change: Decimal | None = None
    target_result: TargetResult | None = None

    @property
    def label(self) -> str:
        return self.result.label

    @property
    def summary(self) -> str:
        """The label and the reason, as the county report prints it."""
        return f"{self.label}. {self.sentence}"


def assess(indicator, series: dict[int, Decimal | None]) -> Assessment:
    """The assessment of an indicator (anything with kind, desired_direction, base_year, target
    and target_year) from its county series {year: value}; years without a value are left out."""
    values = {year: Decimal(value) for year, value in series.items() if value is not None}
    is_share = indicator.kind in SHARE_KINDS
    if not values:
        return Assessment(Result.TOO_LITTLE_DATA, _("Det finns inga värden ännu."))
    latest_year = max(values)
    latest = values[latest_year]
    target_result = _against_target(indicator, values, latest_year)
    target_sentence = _target_sentence(indicator, target_result, is_share)
    if len(values) == 1:
        sentence = _("Bara ett år har värden (%(year)s: %(value)s), för lite för en bedömning.") % {
            "year": latest_year,
            "value": format_value(latest, is_share),
        }
        return Assessment(
            Result.TOO_LITTLE_DATA,
            _join(sentence, target_sentence),
            latest_year=latest_year,
            latest_value=latest,
            target_result=target_result,
        )

    compared_year = _compared_year(indicator.base_year, values, latest_year)
    earlier = values[compared_year]
    change, is_clear = _change(earlier, latest, is_share)
    if not is_clear:
        result = Result.NO_CLEAR_CHANGE
    elif (latest > earlier) == (indicator.desired_direction == Indicator.Direction.INCREASE):
        result = Result.DESIRED_WAY
    else:
        result = Result.WRONG_WAY
    sentence = _change_sentence(
        compared_year, earlier, latest_year, latest, change, is_share, result
    )
    return Assessment(
        result,
        _join(sentence, target_sentence),
        latest_year=latest_year,
        latest_value=latest,
        compared_year=compared_year,
        compared_value=earlier,
        change=change,
        target_result=target_result,
    )


def _compared_year(base_year: int | None, values: dict[int, Decimal], latest_year: int) -> int:
    if base_year is not None and base_year in values and base_year < latest_year:
        return base_year
    return max(year for year in values if year < latest_year)


def _change(earlier: Decimal, latest: Decimal, is_share: bool) -> tuple[Decimal | None, bool]:
    """(the change, whether it is clear).

    Judged as the sentence shows it, rounded (whole per cent, tenths of a point), so that the
    reader never sees "+5 %" called no clear change.
    """
    if is_share:
        points = latest - earlier
        return points, abs(_rounded(points, is_share)) >= POINTS_THRESHOLD
    if earlier == 0:
        # From nothing to something is a clear change, but no percentage of zero.
        return None, latest != 0
    percent = (latest - earlier) / abs(earlier) * 100
    return percent, abs(_rounded(percent, is_share)) >= RELATIVE_THRESHOLD_PERCENT


def _rounded(change: Decimal, is_share: bool) -> Decimal:
    # Rounded as people round (12.5 → 13), not to even as Decimal does by default.
    step = Decimal("0.1") if is_share else Decimal(1)
    return change.quantize(step, rounding=ROUND_HALF_UP)


def _against_target(indicator, values: dict[int, Decimal], latest_year: int):
    if indicator.target is None or indicator.target_year is None:
        return None
    target = Decimal(indicator.target)
    latest = values[latest_year]
    increase = indicator.desired_direction == Indicator.Direction.INCREASE

    def at_or_beyond(value: Decimal, mark: Decimal) -> bool:
        return value >= mark if increase else value <= mark

    if at_or_beyond(latest, target):
        return TargetResult.REACHED
    if latest_year >= indicator.target_year:
        return TargetResult.NOT_ON_TRACK
    start_year = (
        indicator.base_year
        if indicator.base_year in values and indicator.base_year < latest_year
        else min(values)
    )
    if start_year >= latest_year:
        return None  # one year only: no pace to judge yet
    start = values[start_year]
    share_of_time = Decimal(latest_year - start_year) / (indicator.target_year - start_year)
    expected_now = start + (target - start) * share_of_time
    return (
        TargetResult.ON_TRACK if at_or_beyond(latest, expected_now) else TargetResult.NOT_ON_TRACK
    )


def _change_sentence(compared_year, earlier, latest_year, latest, change, is_share, result) -> str:
    values = {
        "from": format_value(earlier, is_share),
        "from_year": compared_year,
        "to": format_value(latest, is_share),
        "to_year": latest_year,
        "change": format_change(change, is_share),
        "result": _result_phrase(result),
    }
    if latest == earlier:
        return _("Oförändrat %(to)s (%(from_year)s och %(to_year)s): %(result)s.") % values
    if change is None:
        return _("Ökade från %(from)s (%(from_year)s) till %(to)s (%(to_year)s): %(result)s.") % (
            values
        )
    if latest > earlier:
        return (
            _(
                "Ökade från %(from)s (%(from_year)s) till %(to)s (%(to_year)s), %(change)s: "
                "%(result)s."
            )
            % values
        )
    return (
        _(
            "Minskade från %(from)s (%(from_year)s) till %(to)s (%(to_year)s), %(change)s: "
            "%(result)s."
        )
        % values
    )


def _result_phrase(result: Result) -> str:
    return {
        Result.DESIRED_WAY: _("åt önskat håll"),
        Result.WRONG_WAY: _("åt fel håll"),
        Result.NO_CLEAR_CHANGE: _("ingen tydlig förändring"),
    }[result]


def _target_sentence(indicator, target_result: TargetResult | None, is_share: bool) -> str:
    if indicator.target is None or indicator.target_year is None:
        return ""
    values = {
        "target": format_value(Decimal(indicator.target), is_share),
        "year": indicator.target_year,
    }
    if target_result == TargetResult.REACHED:
        return _("Målet %(target)s till %(year)s är nått.") % values
    if target_result == TargetResult.ON_TRACK:
        return _("Utvecklingen går i takt med målet %(target)s till %(year)s.") % values
    if target_result == TargetResult.NOT_ON_TRACK:
        return _("Utvecklingen går inte i takt med målet %(target)s till %(year)s.") % values
    return _("För lite data för att bedöma takten mot målet %(target)s till %(year)s.") % values


def _join(*sentences: str) -> str:
    return " ".join(sentence for sentence in sentences if sentence)


def format_value(value: Decimal, is_share: bool = False) -> str:
    """A figure as people read it: no trailing zeros, the locale's decimal mark, and a per
    cent sign for shares (82, 12,5, 30,5 %)."""
    text = number_format(_plain(value), use_l10n=True)
    return f"{text} %" if is_share else text


def format_change(change: Decimal | None, is_share: bool) -> str:
    if change is None:
        return ""
    rounded = _rounded(change, is_share)
    sign = "+" if rounded > 0 else ("−" if rounded < 0 else "±")
    magnitude = number_format(_plain(abs(rounded)), use_l10n=True)
    if is_share:
        return _("%(sign)s%(points)s procentenheter") % {"sign": sign, "points": magnitude}
    return f"{sign}{magnitude} %"


def _plain(value: Decimal) -> Decimal:
    """12.50 → 12.5, 82.00 → 82 (normalize alone would give 8.2E+1)."""
    normalized = value.normalize()
    return normalized.quantize(Decimal(1)) if normalized == normalized.to_integral() else normalized


def method_paragraphs() -> tuple[str, ...]:
    """The method in words, for the goal pages and the county report's method section."""
    numbers = {
        "percent": number_format(RELATIVE_THRESHOLD_PERCENT),
        "points": number_format(POINTS_THRESHOLD),
    }
    return (
        _(
            "Varje indikator med värden bedöms på länsnivå. Det senaste året med ett värde "
            "jämförs med indikatorns basår när ett sådant finns, annars med året innan."
        ),
        _(
            "Antal och antal per 100 000 invånare måste ha ändrats med minst %(percent)s procent "
            "för att räknas som en tydlig förändring, eftersom sådana tal varierar något från år "
            "till år av en slump. Andelar måste ha ändrats med minst %(points)s procentenheter."
        )
        % numbers,
        _(
            "En tydlig förändring går åt önskat håll eller åt fel håll beroende på om indikatorn "
            "ska öka eller minska. En mindre förändring bedöms som ingen tydlig förändring, och "
            "med värden för bara ett år finns det för lite data för en bedömning."
        ),
        _(
            "När indikatorn har ett målvärde är målet nått om det senaste värdet når målvärdet. "
            "Annars går utvecklingen i takt med målet om det senaste värdet ligger minst där en "
            "rak linje från basåret (eller det första året med värden) till målvärdet under "
            "målåret skulle ligga i dag. Har målåret passerats utan att målet nåtts går "
            "utvecklingen inte i takt med målet."
        ),
    )
