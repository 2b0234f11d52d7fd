"""Every write of the events app, each inside one transaction with its audit event.

Events are not person-level, but who announced, moved or cancelled a night, and who
recorded its head counts, is still worth a trace.

How a series is edited (series_update): the series' own fields and rule change, then
its occurrences are regenerated, but only the ones nobody has touched and that have
not begun: a future night that is not cancelled, not edited on its own (an exception)
and has no attendance is updated to the new rule, or removed when the rule no longer
has its date; the new rule's future dates that have no night yet get one. Everything
else stays as it is: nights already held (with their head counts), cancelled nights
and their notices, and nights edited one at a time.
"""

import datetime
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peacehub.accounts.models import Organization
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_request
from peacehub.events.access import host_organizations
from peacehub.events.models import (
    AGE_BANDS,
    SERVICE_COUNT_FIELDS,
    Attendance,
    Event,
    Place,
    PlaceKind,
    Series,
)
from peacehub.events.places import area_containing, park_name, street_address
from peacehub.events.recurrence import night_bounds, rule_dates
from peacehub.geo.geometry import centroid, contains, label_point
from peacehub.geo.models import CommunityArea

DETAIL_FIELDS = (
    "title",
    "kind",
    "place",
    "food_served",
    "food_description",
    "activities",
    "services",
    "is_public",
)
RULE_FIELDS = ("weekdays", "start_time", "end_time", "first_date", "last_date")
ATTENDANCE_FIELDS = (
    *(field for field, _label in AGE_BANDS),
    "meals_served",
    *(field for _kind, field in SERVICE_COUNT_FIELDS),
)


def _details(data: dict[str, Any]) -> dict[str, Any]:
    values = {name: data[name] for name in DETAIL_FIELDS}
    values["title"] = values["title"].strip()
    values["activities"] = values["activities"].strip()
    values["food_description"] = values["food_description"].strip() if values["food_served"] else ""
    values["services"] = sorted(values["services"] or [])
    return values


def _require_own_host(user, hosts) -> list[Organization]:
    """A user announces events for their own organization, with other organizations as
    co-hosts at most: an event nobody of theirs could manage is refused."""
    hosts = list(hosts)
    own = {o.pk for o in host_organizations(user)}
    if not hosts or not own.intersection(h.pk for h in hosts):
        raise ValidationError(_("Include your own organization among the hosts."))
    return hosts


def _first_host_id(hosts) -> str:
    return str(min(hosts, key=lambda o: o.name).pk) if hosts else ""


def _set_hosts(events: list[Event], hosts: list[Organization]) -> None:
    """The same hosts on many events, in two queries."""
    through = Event.hosts.through
    through.objects.filter(event_id__in=[e.pk for e in events]).delete()
    through.objects.bulk_create(
        [through(event_id=e.pk, organization_id=h.pk) for e in events for h in hosts]
    )


# --- Places -------------------------------------------------------------------------


@transaction.atomic
def place_create(*, request, data: dict[str, Any]) -> Place:
    place = Place.objects.create(
        name=data["name"].strip(),
        kind=data["kind"],
        address=data.get("address", "").strip(),
        latitude=data["latitude"],
        longitude=data["longitude"],
        community_area=data["community_area"],
        created_by=request.user,
    )
    audit_request(request, AuditAction.CREATE, place)
    return place


def places_load(*, geojson_path: Path, source: str = "chicago-park-district") -> tuple[int, int]:
    """Create or update the parks of a Park District GeoJSON file (the columns of
    data/chicago_parks/englewood_parks.geojson): one place per park, at its centroid
    (or a point inside the park when the centroid falls outside it), in the community
    area that contains that point. Loading again updates; it never duplicates a park.
    Returns (created, updated)."""
    collection = json.loads(Path(geojson_path).read_text())
    areas = list(CommunityArea.objects.only("id", "number", "name", "boundary"))
    existing = {p.source_key: p for p in Place.objects.filter(source_key__startswith=f"{source}/")}
    created = updated = 0
    with transaction.atomic():
        for feature in collection["features"]:
            properties = feature["properties"]
            polygons = feature["geometry"]["coordinates"]
            if feature["geometry"]["type"] == "Polygon":
                polygons = [polygons]
            longitude, latitude = centroid(polygons)
            if not contains(polygons, longitude, latitude):
                longitude, latitude = label_point(polygons)
            zip_code = properties.get("zip", "").strip()
            address = street_address(properties.get("location", ""))
            values = {
                "name": park_name(properties["park"]),
                "kind": PlaceKind.PARK,
                "address": f"{address}, Chicago, IL {zip_code}".strip() if address else "",
                "latitude": round(latitude, 6),
                "longitude": round(longitude, 6),
                "community_area": area_containing(latitude, longitude, areas),
            }
            key = f"{source}/{properties['park_no']}"
            place = existing.get(key)
            if place is None:
                Place.objects.create(source_key=key, **values)
                created += 1
            elif any(getattr(place, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(place, name, value)
                place.save(update_fields=list(values))
                updated += 1
    return created, updated


# --- Events -------------------------------------------------------------------------


def _changed(record, values: dict[str, Any]) -> list[str]:
    return sorted(name for name, value in values.items() if getattr(record, name) != value)


def _refuse_if_over_or_cancelled(event: Event) -> None:
    if event.is_cancelled:
        raise ValidationError(_("This event was cancelled; it cannot be changed."))
    if event.has_ended:
        raise ValidationError(_("This event is over; it stays as it was held."))


@transaction.atomic
def event_create(*, request, data: dict[str, Any]) -> Event:
    hosts = _require_own_host(request.user, data["hosts"])
    event = Event.objects.create(
        **_details(data),
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        created_by=request.user,
    )
    event.hosts.set(hosts)
    audit_request(
        request,
        AuditAction.CREATE,
        event,
        organization_id=_first_host_id(hosts),
        detail={"hosts": sorted(str(h.pk) for h in hosts)},
    )
    return event


@transaction.atomic
def event_update(*, request, event: Event, data: dict[str, Any]) -> Event:
    """Change one event. A night of a series becomes an exception: later edits of the
    whole series leave it as it is now."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    _refuse_if_over_or_cancelled(event)
    hosts = _require_own_host(request.user, data["hosts"])
    values = {**_details(data), "starts_at": data["starts_at"], "ends_at": data["ends_at"]}
    changed = _changed(event, values)
    hosts_changed = {h.pk for h in hosts} != set(event.hosts.values_list("pk", flat=True))
    if not changed and not hosts_changed:
        return event
    for name in changed:
        setattr(event, name, values[name])
    event.sequence += 1
    event.updated_at = timezone.now()
    fields = [*changed, "sequence", "updated_at"]
    if event.series_id and not event.is_exception:
        event.is_exception = True
        fields.append("is_exception")
    event.save(update_fields=fields)
    if hosts_changed:
        event.hosts.set(hosts)
    audit_request(
        request,
        AuditAction.UPDATE,
        event,
        organization_id=_first_host_id(hosts),
        detail={"fields": changed + (["hosts"] if hosts_changed else [])},
    )
    return event


@transaction.atomic
def event_cancel(*, request, event: Event, notice: str) -> Event:
    """Cancel one night. It stays listed, with the public notice."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    _refuse_if_over_or_cancelled(event)
    event.cancelled_at = timezone.now()
    event.cancellation_notice = notice.strip()
    event.sequence += 1
    event.updated_at = event.cancelled_at
    event.save(update_fields=["cancelled_at", "cancellation_notice", "sequence", "updated_at"])
    audit_request(
        request,
        AuditAction.STATUS_CHANGE,
        event,
        organization_id=_first_host_id(event.hosts.all()),
        detail={"cancelled": True},
    )
    return event


# --- Series ------------------------------------------------------------------------


def _rule(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in RULE_FIELDS} | {"weekdays": sorted(data["weekdays"])}


def _series_dates(series: Series) -> list[datetime.date]:
    return rule_dates(
        weekdays=series.weekdays, first_date=series.first_date, last_date=series.last_date
    )


def _occurrence(series: Series, day: datetime.date) -> Event:
    starts_at, ends_at = night_bounds(day, series.start_time, series.end_time)
    return Event(
        series=series,
        recurrence_date=day,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=series.created_by,
        **{name: getattr(series, name) for name in DETAIL_FIELDS},
    )


@transaction.atomic
def series_create(*, request, data: dict[str, Any]) -> Series:
    """A series and all its nights, past ones included (a series can be recorded after
    the fact, for the summer check)."""
    hosts = _require_own_host(request.user, data["hosts"])
    series = Series(**_details(data), **_rule(data), created_by=request.user)
    dates = _series_dates(series)
    if not dates:
        raise ValidationError(_("The series has no nights: check its days and dates."))
    series.save()
    series.hosts.set(hosts)
    nights = Event.objects.bulk_create([_occurrence(series, day) for day in dates])
    _set_hosts(nights, hosts)
    audit_request(
        request,
        AuditAction.CREATE,
        series,
        organization_id=_first_host_id(hosts),
        detail={"nights": len(nights), "hosts": sorted(str(h.pk) for h in hosts)},
    )
    return series


def _is_regenerable(event: Event, now: datetime.datetime) -> bool:
    return (
        event.starts_at > now
        and not event.is_exception
        and event.cancelled_at is None
        and not hasattr(event, "attendance")
    )


@transaction.atomic
def series_update(*, request, series: Series, data: dict[str, Any]) -> dict[str, int]:
    """Change the series as a whole (see the module's docstring). Returns how many
    nights were added, updated, removed and left as they were."""
    series = Series.objects.select_for_update().get(pk=series.pk)
    if series.is_cancelled:
        raise ValidationError(_("This series was cancelled; it cannot be changed."))
    hosts = _require_own_host(request.user, data["hosts"])
    values = {**_details(data), **_rule(data)}
    changed = _changed(series, values)
    hosts_changed = {h.pk for h in hosts} != set(series.hosts.values_list("pk", flat=True))
    if not changed and not hosts_changed:
        return {"added": 0, "updated": 0, "removed": 0, "kept": 0}
    for name, value in values.items():
        setattr(series, name, value)
    dates = _series_dates(series)
    if not dates:
        raise ValidationError(_("The series has no nights: check its days and dates."))
    series.sequence += 1
    series.updated_at = timezone.now()
    series.save(update_fields=[*changed, "sequence", "updated_at"])
    if hosts_changed:
        series.hosts.set(hosts)

    now = series.updated_at
    occurrences = list(series.occurrences.select_related("attendance"))
    by_date = {e.recurrence_date: e for e in occurrences}
    wanted = set(dates)
    regenerable = [e for e in occurrences if _is_regenerable(e, now)]
    removed = [e for e in regenerable if e.recurrence_date not in wanted]
    updated = []
    for event in regenerable:
        if event.recurrence_date not in wanted:
            continue
        fresh = _occurrence(series, event.recurrence_date)
        for name in (*DETAIL_FIELDS, "starts_at", "ends_at"):
            setattr(event, name, getattr(fresh, name))
        event.sequence += 1
        event.updated_at = now
        updated.append(event)
    added = [
        fresh
        for fresh in (_occurrence(series, day) for day in dates if day not in by_date)
        if fresh.starts_at > now
    ]
    Event.objects.filter(pk__in=[e.pk for e in removed]).delete()
    Event.objects.bulk_update(
        updated, [*DETAIL_FIELDS, "starts_at", "ends_at", "sequence", "updated_at"]
    )
    Event.objects.bulk_create(added)
    _set_hosts(updated + added, hosts)
    counts = {
        "added": len(added),
        "updated": len(updated),
        "removed": len(removed),
        "kept": len(occurrences) - len(regenerable),
    }
    audit_request(
        request,
        AuditAction.UPDATE,
        series,
        organization_id=_first_host_id(hosts),
        detail={"fields": changed + (["hosts"] if hosts_changed else []), **counts},
    )
    return counts


@transaction.atomic
def series_cancel(*, request, series: Series, notice: str) -> int:
    """Cancel the rest of a series: every night not over yet and not already cancelled
    gets the public notice. Nights already held stay as they were. Returns how many
    nights were cancelled."""
    series = Series.objects.select_for_update().get(pk=series.pk)
    if series.is_cancelled:
        raise ValidationError(_("This series was already cancelled."))
    now = timezone.now()
    notice = notice.strip()
    series.cancelled_at = now
    series.cancellation_notice = notice
    series.sequence += 1
    series.updated_at = now
    series.save(update_fields=["cancelled_at", "cancellation_notice", "sequence", "updated_at"])
    nights = list(series.occurrences.upcoming(now).not_cancelled())
    for night in nights:
        night.cancelled_at = now
        night.cancellation_notice = notice
        night.sequence += 1
        night.updated_at = now
    Event.objects.bulk_update(
        nights, ["cancelled_at", "cancellation_notice", "sequence", "updated_at"]
    )
    audit_request(
        request,
        AuditAction.STATUS_CHANGE,
        series,
        organization_id=_first_host_id(series.hosts.all()),
        detail={"cancelled": True, "nights": len(nights)},
    )
    return len(nights)


# --- Attendance --------------------------------------------------------------------


@transaction.atomic
def attendance_record(*, request, event: Event, counts: dict[str, int]) -> Attendance:
    """Record (or correct) the head counts of a night that has begun."""
    if event.is_cancelled:
        raise ValidationError(_("This event was cancelled: there is no attendance to record."))
    if not event.has_started:
        raise ValidationError(_("Attendance can be recorded once the event has started."))
    values = {name: counts[name] for name in ATTENDANCE_FIELDS}
    if any(value is None or value < 0 for value in values.values()):
        raise ValidationError(_("Counts cannot be below zero."))
    attendance, created = Attendance.objects.update_or_create(
        event=event,
        defaults={**values, "recorded_by": request.user, "recorded_at": timezone.now()},
    )
    audit_request(
        request,
        AuditAction.CREATE if created else AuditAction.UPDATE,
        attendance,
        organization_id=_first_host_id(event.hosts.all()),
        detail={"event": str(event.pk), **values},
    )
    return attendance
