"""iCalendar (RFC 5545) for public events, built with the icalendar package.

- A series is one VEVENT with an RRULE (weekly, on its nights, UNTIL its last night),
  UID "series-<id>@peacehub". Nights the rule yields that are not in the feed (removed
  by an edit, staff-only, moved to another area's feed) are EXDATEs. A night that
  differs from the rule (moved, retitled, cancelled) is an override VEVENT with the
  series' UID and a RECURRENCE-ID; a cancelled night is STATUS:CANCELLED with its
  notice in the description, so that it stays listed as on the public calendar.
- A standalone event, or a night that the current rule no longer yields, is its own
  VEVENT with UID "event-<id>@peacehub".
- Times are in the coalition's time zone (America/Chicago), with its VTIMEZONE.
- UIDs never change; SEQUENCE goes up with each change.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _
from icalendar import Calendar, vRecur
from icalendar import Event as VEvent

from peacehub.events.models import Event, EventDetails, Series
from peacehub.events.recurrence import local_zone, night_bounds, rule_dates

PRODUCT_ID = "-//PeaceHub//Light in the Night calendar//EN"
UID_DOMAIN = "peacehub"
_BYDAY = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def event_uid(event: Event) -> str:
    return f"event-{event.pk}@{UID_DOMAIN}"


def series_uid(series: Series) -> str:
    return f"series-{series.pk}@{UID_DOMAIN}"


def _description(details: EventDetails, *, with_notice: bool = True) -> str:
    lines = []
    if with_notice and details.is_cancelled:
        lines.append(_("Cancelled: %(notice)s") % {"notice": details.cancellation_notice})
    if details.activities:
        lines.append(details.activities)
    if details.food_served:
        lines.append(
            _("Food: %(food)s") % {"food": details.food_description}
            if details.food_description
            else _("Food served")
        )
    services = details.service_labels()
    if services:
        lines.append(_("On site: %(services)s") % {"services": ", ".join(map(str, services))})
    return "\n".join(lines)


def _location(details: EventDetails) -> str:
    place = details.place
    return f"{place.name}, {place.address}" if place.address else place.name


def _fill(
    vevent: VEvent,
    details: EventDetails,
    start: datetime.datetime,
    end: datetime.datetime,
    *,
    url: str,
    description: str,
    cancelled: bool,
) -> VEvent:
    zone = local_zone()
    vevent.add("dtstamp", details.updated_at.astimezone(datetime.UTC))
    vevent.add("dtstart", start.astimezone(zone))
    vevent.add("dtend", end.astimezone(zone))
    vevent.add("summary", details.title)
    vevent.add("location", _location(details))
    vevent.add("geo", (details.place.latitude, details.place.longitude))
    if description:
        vevent.add("description", description)
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    vevent.add("sequence", details.sequence)
    if url:
        vevent.add("url", url)
    return vevent


def _fill_night(vevent: VEvent, event: Event, url: str) -> VEvent:
    return _fill(
        vevent,
        event,
        event.starts_at,
        event.ends_at,
        url=url,
        description=_description(event),
        cancelled=event.is_cancelled,
    )


def standalone_vevent(event: Event, url: str = "") -> VEvent:
    vevent = VEvent()
    vevent.add("uid", event_uid(event))
    return _fill_night(vevent, event, url)


def _as_ruled(night: Event, series: Series, start, end) -> bool:
    """Whether a calendar app would show the night exactly as the rule makes it: then
    the RRULE says it all and the night needs no override."""
    return (
        not night.is_cancelled
        and night.starts_at == start
        and night.ends_at == end
        and night.title == series.title
        and night.place_id == series.place_id
        and _description(night) == _description(series, with_notice=False)
    )


def _series_vevents(
    series: Series, nights: list[Event], url_for: Callable[[Event], str], series_url: str
) -> list[VEvent]:
    """The series' master VEVENT with its EXDATEs and overrides, and standalone VEVENTs
    for nights outside the current rule."""
    dates = rule_dates(
        weekdays=series.weekdays, first_date=series.first_date, last_date=series.last_date
    )
    first_start, first_end = night_bounds(dates[0], series.start_time, series.end_time)
    last_start, _last_end = night_bounds(dates[-1], series.start_time, series.end_time)
    master = VEvent()
    master.add("uid", series_uid(series))
    # The series as a whole is never CANCELLED: the nights it already held stay. Its
    # cancelled nights carry the notice.
    _fill(
        master,
        series,
        first_start,
        first_end,
        url=series_url,
        description=_description(series, with_notice=False),
        cancelled=False,
    )
    master.add(
        "rrule",
        vRecur(
            freq="WEEKLY",
            byday=[_BYDAY[d] for d in sorted(series.weekdays)],
            until=last_start.astimezone(datetime.UTC),
        ),
    )
    by_date = {n.recurrence_date: n for n in nights}
    overrides: list[VEvent] = []
    excluded: list[datetime.datetime] = []
    zone = local_zone()
    for day in dates:
        start, end = night_bounds(day, series.start_time, series.end_time)
        night = by_date.pop(day, None)
        if night is None:
            excluded.append(start.astimezone(zone))
        elif not _as_ruled(night, series, start, end):
            override = VEvent()
            override.add("uid", series_uid(series))
            override.add("recurrence-id", start.astimezone(zone))
            overrides.append(_fill_night(override, night, url_for(night)))
    if excluded:
        master.add("exdate", excluded)
    # Nights the rule no longer yields (held, or kept, from before an edit of the rule).
    strays = [standalone_vevent(n, url_for(n)) for n in by_date.values()]
    return [master, *overrides, *strays]


def _has_dates(series: Series) -> bool:
    return bool(
        rule_dates(
            weekdays=series.weekdays, first_date=series.first_date, last_date=series.last_date
        )
    )


def calendar_of(
    events: Iterable[Event],
    *,
    name: str,
    url_for: Callable[[Event], str] = lambda event: "",
    series_url: str = "",
    series_in_feed: Callable[[Series], bool] = lambda series: series.is_public,
) -> Calendar:
    """A calendar of the given events (the caller chooses them: public ones only).
    A series whose master does not belong in this feed (staff-only, or held in another
    area) contributes its listed nights as standalone events."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", str(local_zone()))
    nights_of: dict[object, list[Event]] = defaultdict(list)
    series_by_id: dict[object, Series] = {}
    ruled: dict[object, bool] = {}
    for event in events:
        # A series whose rule yields no date (only possible through the admin) cannot
        # carry an RRULE: its nights stand alone.
        if event.series_id and event.series_id not in ruled:
            ruled[event.series_id] = series_in_feed(event.series) and _has_dates(event.series)
        if event.series_id and ruled[event.series_id]:
            nights_of[event.series_id].append(event)
            series_by_id[event.series_id] = event.series
        else:
            calendar.add_component(standalone_vevent(event, url_for(event)))
    days: list[datetime.date] = []
    for series_id, nights in nights_of.items():
        series = series_by_id[series_id]
        days += [series.first_date, series.last_date + datetime.timedelta(days=1)]
        for vevent in _series_vevents(series, nights, url_for, series_url):
            calendar.add_component(vevent)
    zone = local_zone()
    for vevent in calendar.walk("VEVENT"):
        if "RECURRENCE-ID" not in vevent:
            days += [vevent.DTSTART.astimezone(zone).date(), vevent.DTEND.astimezone(zone).date()]
    if days:
        # The time zone's rules a year either side of the calendar's dates: both its
        # standard and daylight time, without half a century of past transitions.
        margin = datetime.timedelta(days=366)
        calendar.add_missing_timezones(first_date=min(days) - margin, last_date=max(days) + margin)
    return calendar
