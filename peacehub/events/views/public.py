"""The public Light in the Night calendar: no sign-in, public events only.

Staff-only events never reach these pages or feeds: every query here starts from
Event.objects.public().
"""

import calendar
import datetime
from collections import defaultdict
from uuid import UUID

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from peacehub.events.forms import NearForm, month_start
from peacehub.events.ical import calendar_of
from peacehub.events.models import Event
from peacehub.events.places import area_containing
from peacehub.events.recurrence import local_zone
from peacehub.geo.geometry import distance_km
from peacehub.geo.models import CommunityArea
from peacehub.geo.svgmap import Marker, community_area_map
from peacehub.http import paginate

# How far ahead the map and "near you" look.
MAP_DAYS = 60
NEAR_DAYS = 30
NEAR_RESULTS = 10


def public_events():
    """Public events with their place and area, without the area's boundary (heavy, and
    not needed to list events)."""
    return (
        Event.objects.public()
        .select_related("place", "place__community_area")
        .defer("place__community_area__boundary")
    )


def _areas():
    return CommunityArea.objects.only("id", "number", "name").order_by("name")


def _area_from(request: HttpRequest) -> CommunityArea | None:
    value = request.GET.get("area", "")
    if not value.isdigit():
        return None
    return _areas().filter(number=int(value)).first()


def _areas_with_places():
    return _areas().filter(places__isnull=False).distinct()


def _events_map(events: list[Event], *, title: str, highlight: set[int] | None = None) -> str:
    """The focus areas shaded, one marker per place, linking to its next event."""
    markers = []
    seen = set()
    for event in events:
        if event.place_id in seen:
            continue
        seen.add(event.place_id)
        local = timezone.localtime(event.starts_at)
        markers.append(
            Marker(
                event.place.latitude,
                event.place.longitude,
                f"{event.place.name}: {event.title}, {date_format(local, 'SHORT_DATETIME_FORMAT')}",
                reverse("events:detail", args=[event.pk]),
            )
        )
    return community_area_map(markers=markers, highlight=highlight, title=title)


def _context(area: CommunityArea | None, **extra) -> dict:
    return {
        "area": area,
        "areas_with_places": _areas_with_places(),
        "all_areas": _areas(),
        "area_feed_slug": slugify(area.name) if area else "",
        **extra,
    }


@login_not_required
@require_GET
def calendar_month(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    first = month_start(request.GET.get("month", ""), today)
    # Weeks start on Sunday, as calendars do in the United States.
    weeks = calendar.Calendar(firstweekday=6).monthdatescalendar(first.year, first.month)
    zone = local_zone()
    start = datetime.datetime.combine(weeks[0][0], datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        weeks[-1][-1] + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    area = _area_from(request)
    events = public_events().filter(starts_at__gte=start, starts_at__lt=end)
    if area:
        events = events.in_area(area)
    by_day: dict[datetime.date, list[Event]] = defaultdict(list)
    for event in events.order_by("starts_at"):
        by_day[timezone.localtime(event.starts_at).date()].append(event)
    grid = [
        [
            {
                "date": day,
                "in_month": day.month == first.month,
                "is_today": day == today,
                "events": by_day.get(day, []),
            }
            for day in week
        ]
        for week in weeks
    ]
    now = timezone.now()
    upcoming = public_events().not_cancelled().upcoming(now)
    upcoming = upcoming.filter(starts_at__lt=now + datetime.timedelta(days=MAP_DAYS))
    if area:
        upcoming = upcoming.in_area(area)
    area_map = _events_map(
        list(upcoming.order_by("starts_at")),
        title=_("Upcoming events and the coalition's community areas"),
        highlight={area.number} if area else None,
    )
    return TemplateResponse(
        request,
        "events/calendar.html",
        _context(
            area,
            month=first,
            weeks=grid,
            month_has_events=any(
                cell["events"] for week in grid for cell in week if cell["in_month"]
            ),
            weekdays=weeks[0],
            previous_month=(first - datetime.timedelta(days=1)).replace(day=1),
            next_month=(first + datetime.timedelta(days=32)).replace(day=1),
            area_map=area_map,
        ),
    )


@login_not_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    area = _area_from(request)
    events = public_events().upcoming()
    if area:
        events = events.in_area(area)
    page = paginate(request, events.order_by("starts_at", "title"))
    return TemplateResponse(
        request,
        "events/list.html",
        _context(area, page=page),
    )


@login_not_required
@require_GET
def near(request: HttpRequest) -> HttpResponse:
    """The next event at each of the nearest places, from a community area's middle or
    from the visitor's location, which the page never stores."""
    form = NearForm(request.GET or None)
    point = form.point() if form.is_bound else None
    results: list[tuple[float, Event]] = []
    origin_area = None
    if point:
        latitude, longitude = round(point[0], 3), round(point[1], 3)
        from_area = form.cleaned_data.get("lat") is None
        origin_area = form.cleaned_data.get("area") if from_area else None
        now = timezone.now()
        events = (
            public_events()
            .not_cancelled()
            .upcoming(now)
            .filter(starts_at__lt=now + datetime.timedelta(days=NEAR_DAYS))
            .order_by("starts_at")
        )
        next_at_place: dict[UUID, Event] = {}
        for event in events:
            next_at_place.setdefault(event.place_id, event)
        results = sorted(
            (
                (
                    distance_km(latitude, longitude, e.place.latitude, e.place.longitude),
                    e,
                )
                for e in next_at_place.values()
            ),
            key=lambda pair: (pair[0], pair[1].starts_at),
        )[:NEAR_RESULTS]
        if origin_area is None:
            origin_area = area_containing(latitude, longitude)
    highlight = {origin_area.number} if origin_area else None
    area_map = _events_map(
        [event for _distance, event in results],
        title=_("The nearest upcoming events"),
        highlight=highlight,
    )
    return TemplateResponse(
        request,
        "events/near.html",
        {
            "form": form,
            "searched": point is not None,
            "from_location": bool(point) and form.cleaned_data.get("lat") is not None,
            "origin_area": origin_area,
            "results": [{"distance": round(d, 1), "event": e} for d, e in results],
            "area_map": area_map,
            "all_areas": _areas(),
            "days": NEAR_DAYS,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_not_required
@require_GET
def event_detail(request: HttpRequest, event_id: UUID) -> HttpResponse:
    event = get_object_or_404(public_events().select_related("series"), pk=event_id)
    place = event.place
    area = place.community_area
    area_map = community_area_map(
        markers=[Marker(place.latitude, place.longitude, place.name)],
        highlight={area.number} if area else None,
        title=_("Where: %(place)s") % {"place": place.name},
    )
    more_nights = []
    if event.series_id:
        more_nights = list(
            public_events()
            .filter(series_id=event.series_id)
            .upcoming()
            .exclude(pk=event.pk)
            .order_by("starts_at")[:6]
        )
    return TemplateResponse(
        request,
        "events/detail.html",
        {
            "event": event,
            "hosts": event.hosts.order_by("name"),
            "area_map": area_map,
            "more_nights": more_nights,
        },
    )


def _ics_response(calendar, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _event_url(request: HttpRequest):
    return lambda event: request.build_absolute_uri(reverse("events:detail", args=[event.pk]))


@login_not_required
@require_GET
def event_ics(request: HttpRequest, event_id: UUID) -> HttpResponse:
    """One event, to add to a calendar app: a standalone VEVENT even for a night of a
    series (the feed carries the series itself)."""
    event = get_object_or_404(public_events(), pk=event_id)
    ical = calendar_of(
        [event],
        name=event.title,
        url_for=_event_url(request),
        series_in_feed=lambda series: False,
    )
    day = timezone.localtime(event.starts_at).date().isoformat()
    return _ics_response(ical, f"{slugify(event.title) or 'event'}-{day}.ics", attachment=True)


def _feed(request: HttpRequest, events, *, name: str, series_in_feed, filename: str):
    events = events.select_related("series", "series__place").order_by("starts_at")
    ical = calendar_of(
        events,
        name=name,
        url_for=_event_url(request),
        series_url=request.build_absolute_uri(reverse("events:calendar")),
        series_in_feed=series_in_feed,
    )
    return _ics_response(ical, filename, attachment=False)


@login_not_required
@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    """Every public event, to subscribe to in a calendar app."""
    return _feed(
        request,
        public_events(),
        name=_("Light in the Night"),
        series_in_feed=lambda series: series.is_public,
        filename="light-in-the-night.ics",
    )


@login_not_required
@require_GET
def area_feed(request: HttpRequest, area_slug: str) -> HttpResponse:
    """The public events of one community area."""
    area = next((a for a in _areas() if slugify(a.name) == area_slug), None)
    if area is None:
        raise Http404
    return _feed(
        request,
        public_events().in_area(area),
        name=_("Light in the Night in %(area)s") % {"area": area.name},
        series_in_feed=lambda series: (
            series.is_public and series.place.community_area_id == area.pk
        ),
        filename=f"light-in-the-night-{area_slug}.ics",
    )
