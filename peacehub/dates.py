"""The one rule for dates and moments that cannot be in the future, for forms and
services alike: a contact, an intake, an enrollment, a birth. A day is compared with
the coalition's local date; a moment is allowed a few minutes of a phone's clock
running ahead of the server's."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

CLOCK_SKEW = datetime.timedelta(minutes=5)


def _refuse(message, field: str | None):
    return ValidationError({field: message} if field else message, code="future")


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
