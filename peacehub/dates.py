"""The rules for dates and moments, for forms and services alike: what happened
cannot be in the future (a contact, an intake, an enrollment, a birth), nor before the
coalition kept records (1900 typed for 2000); what is planned cannot be decades ahead
(9999 for 2025). A day is compared with the coalition's local date; a moment is allowed
a few minutes of a phone's clock running ahead of the server's."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CLOCK_SKEW = datetime.timedelta(minutes=5)
# Nothing the coalition records happened before its earliest paper records: a day
# before this one is a slip of the year.
EARLIEST_RECORD_DAY = datetime.date(2000, 1, 1)
TOO_FAR_IN_THE_PAST = _("This date is too far in the past: check the year.")
# A goal of the service plan is set for months, a few years at most.
TARGET_YEARS_AHEAD = 5


def _refuse(message, field: str | None, code: str = "future"):
    return ValidationError({field: message} if field else message, code=code)


def _day_of(day_or_moment: datetime.date) -> datetime.date:
    """A moment's local day; a day as it is."""
    if isinstance(day_or_moment, datetime.datetime):
        if timezone.is_naive(day_or_moment):
            return day_or_moment.date()
        return timezone.localdate(day_or_moment)
    return day_or_moment


def years_ahead(years: int, of: datetime.date | datetime.datetime | None = None):
    """The same day (or moment) ``years`` later, from today when not given; a 29
    February lands on the 28th."""
    of = timezone.localdate() if of is None else of
    try:
        return of.replace(year=of.year + years)
    except ValueError:
        return of.replace(year=of.year + years, day=28)


def reject_future_day(day: datetime.date | None, message, field: str | None = None) -> None:
    """ValidationError (on ``field`` when given) for a day after today."""
    if day is not None and day > timezone.localdate():
        raise _refuse(message, field)


def reject_future_moment(
    moment: datetime.datetime | None, message, field: str | None = None
) -> None:
    """ValidationError (on ``field`` when given) for a moment more than CLOCK_SKEW ahead."""
    if moment is not None and moment > timezone.now() + CLOCK_SKEW:
        raise _refuse(message, field)


def reject_before(
    day_or_moment: datetime.date | datetime.datetime | None,
    earliest: datetime.date = EARLIEST_RECORD_DAY,
    message=TOO_FAR_IN_THE_PAST,
    field: str | None = None,
) -> None:
    """ValidationError (on ``field`` when given) for a day, or a moment's local day,
    before ``earliest``: by default, one before the coalition kept records."""
    if day_or_moment is not None and _day_of(day_or_moment) < earliest:
        raise _refuse(message, field, code="too_early")


def reject_after(
    day_or_moment: datetime.date | datetime.datetime | None,
    latest: datetime.date | datetime.datetime,
    message,
    field: str | None = None,
) -> None:
    """ValidationError (on ``field`` when given) for a day or a moment after ``latest``
    (a moment with a moment, a day with a day)."""
    if day_or_moment is not None and day_or_moment > latest:
        raise _refuse(message, field, code="too_late")
