"""The weekly rule of a series, as plain functions of dates and times: which dates it
yields, and when each night starts and ends in the coalition's time zone."""

import datetime

from django.utils import timezone

# A series may span at most a year: a typo in a year must not create a thousand nights.
MAX_SERIES_DAYS = 366
# An end time before the start time is the next morning, up to this hour; anything
# later is taken for what it almost always is, a night that ends before it starts.
LATEST_NEXT_MORNING_END = datetime.time(4, 0)


def local_zone() -> datetime.tzinfo:
    """Events happen in the coalition's own time zone (settings.TIME_ZONE,
    America/Chicago here), whatever the server's."""
    return timezone.get_default_timezone()


def rule_dates(
    *, weekdays: list[int], first_date: datetime.date, last_date: datetime.date
) -> list[datetime.date]:
    """Every date from the first to the last (both included) that falls on one of the
    weekdays (Monday is 0)."""
    chosen = set(weekdays)
    dates = []
    day = first_date
    while day <= last_date:
        if day.weekday() in chosen:
            dates.append(day)
        day += datetime.timedelta(days=1)
    return dates


def ends_next_morning(start_time: datetime.time, end_time: datetime.time) -> bool:
    return end_time < start_time


def night_bounds(
    day: datetime.date, start_time: datetime.time, end_time: datetime.time
) -> tuple[datetime.datetime, datetime.datetime]:
    """The aware start and end of the night that begins on ``day``."""
    zone = local_zone()
    start = datetime.datetime.combine(day, start_time, tzinfo=zone)
    end_day = day + datetime.timedelta(days=1) if ends_next_morning(start_time, end_time) else day
    return start, datetime.datetime.combine(end_day, end_time, tzinfo=zone)
