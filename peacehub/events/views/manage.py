"""Staff pages: announce, edit and cancel events and series, record head counts, add
places. Every record is fetched through peacehub.events.access."""

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from peacehub.accounts.access import has_permission
from peacehub.accounts.roles import Permission
from peacehub.events import services
from peacehub.events.access import (
    events_managed_by,
    get_event_for_user,
    get_series_for_user,
    host_organizations,
    series_managed_by,
)
from peacehub.events.forms import AttendanceForm, CancelForm, EventForm, PlaceForm, SeriesForm
from peacehub.events.models import Attendance, Event, Place
from peacehub.forms import NOT_SAVED, save_posted, status_of
from peacehub.http import paginate, permission_required

DETAIL_INITIAL = (
    "title",
    "kind",
    "place",
    "food_served",
    "food_description",
    "activities",
    "services",
    "is_public",
)


def _details_initial(record) -> dict:
    initial = {name: getattr(record, name) for name in DETAIL_INITIAL}
    initial["place"] = record.place_id
    initial["hosts"] = [h.pk for h in record.hosts.all()]
    return initial


def _own_default(request) -> dict:
    own = host_organizations(request.user)
    return {"hosts": [own[0].pk]} if own else {}


# --- The staff home ------------------------------------------------------------------


@require_GET
@permission_required(Permission.MANAGE_EVENTS)
def manage(request: HttpRequest) -> HttpResponse:
    """Our organizations' events: the coming ones, or the past ones with their head
    counts; and our series still running."""
    now = timezone.now()
    past = request.GET.get("when") == "past"
    events = events_managed_by(request.user).select_related("place", "attendance")
    if past:
        events = events.filter(ends_at__lte=now).order_by("-starts_at")
    else:
        events = events.filter(ends_at__gt=now).order_by("starts_at")
    page = paginate(request, events)
    missing_counts = (
        events_managed_by(request.user)
        .filter(starts_at__lte=now, cancelled_at__isnull=True, attendance__isnull=True)
        .count()
    )
    running_series = (
        series_managed_by(request.user)
        .filter(last_date__gte=timezone.localdate())
        .select_related("place")
        .order_by("first_date", "title")
    )
    return TemplateResponse(
        request,
        "events/manage.html",
        {
            "page": page,
            "past": past,
            "missing_counts": missing_counts,
            "running_series": running_series,
            "can_see_summer": has_permission(request.user, Permission.VIEW_SUMMER_CHECK),
        },
    )


# --- Events -------------------------------------------------------------------------


@permission_required(Permission.MANAGE_EVENTS)
def event_new(request: HttpRequest) -> HttpResponse:
    own = host_organizations(request.user)
    form = EventForm(request.POST or None, own_organizations=own, initial=_own_default(request))
    event = save_posted(
        request,
        form,
        lambda data: services.event_create(request=request, data=data),
        lambda event: _("“%(title)s” was added.") % {"title": event.title},
    )
    if event is not NOT_SAVED:
        return redirect("events:manage")
    return TemplateResponse(
        request, "events/event_form.html", {"form": form, "event": None}, status=status_of(form)
    )


def _refuse_changes(request, event: Event) -> HttpResponse | None:
    if event.is_cancelled:
        messages.error(request, _("This event was cancelled; it cannot be changed."))
        return redirect("events:manage")
    if event.has_ended:
        messages.error(request, _("This event is over; it stays as it was held."))
        return redirect("events:manage")
    return None


def event_edit(request: HttpRequest, event_id: UUID) -> HttpResponse:
    event = get_event_for_user(request.user, event_id)
    if request.method != "POST" and (refused := _refuse_changes(request, event)):
        return refused
    own = host_organizations(request.user)
    local = {
        "starts_at": timezone.localtime(event.starts_at),
        "ends_at": timezone.localtime(event.ends_at),
    }
    form = EventForm(
        request.POST or None,
        own_organizations=own,
        initial={**_details_initial(event), **local},
    )
    saved = save_posted(
        request,
        form,
        lambda data: services.event_update(request=request, event=event, data=data),
        _("The event was saved."),
    )
    if saved is not NOT_SAVED:
        return redirect("events:manage")
    return TemplateResponse(
        request, "events/event_form.html", {"form": form, "event": event}, status=status_of(form)
    )


def event_cancel(request: HttpRequest, event_id: UUID) -> HttpResponse:
    event = get_event_for_user(request.user, event_id)
    if request.method != "POST" and (refused := _refuse_changes(request, event)):
        return refused
    form = CancelForm(request.POST or None)
    cancelled = save_posted(
        request,
        form,
        lambda data: services.event_cancel(request=request, event=event, notice=data["notice"]),
        _("The event was cancelled; the notice is public."),
    )
    if cancelled is not NOT_SAVED:
        return redirect("events:manage")
    return TemplateResponse(
        request,
        "events/cancel_form.html",
        {"form": form, "event": event, "series": None},
        status=status_of(form),
    )


def attendance(request: HttpRequest, event_id: UUID) -> HttpResponse:
    event = get_event_for_user(request.user, event_id)
    recorded = Attendance.objects.filter(event=event).first()
    form = AttendanceForm(request.POST or None, attendance=recorded)
    recorded = save_posted(
        request,
        form,
        lambda data: services.attendance_record(request=request, event=event, counts=data),
        _("Attendance recorded."),
    )
    if recorded is not NOT_SAVED:
        return redirect(f"{reverse('events:manage')}?when=past")
    return TemplateResponse(
        request,
        "events/attendance_form.html",
        {"form": form, "event": event, "recorded": recorded},
        status=status_of(form),
    )


# --- Series -------------------------------------------------------------------------


@permission_required(Permission.MANAGE_EVENTS)
def series_new(request: HttpRequest) -> HttpResponse:
    own = host_organizations(request.user)
    form = SeriesForm(request.POST or None, own_organizations=own, initial=_own_default(request))
    series = save_posted(
        request,
        form,
        lambda data: services.series_create(request=request, data=data),
        lambda series: (
            _("“%(title)s” was added with %(nights)s nights.")
            % {"title": series.title, "nights": series.occurrences.count()}
        ),
    )
    if series is not NOT_SAVED:
        return redirect("events:series", series_id=series.pk)
    return TemplateResponse(
        request, "events/series_form.html", {"form": form, "series": None}, status=status_of(form)
    )


@require_GET
def series_detail(request: HttpRequest, series_id: UUID) -> HttpResponse:
    series = get_series_for_user(request.user, series_id)
    nights = series.occurrences.select_related("place", "attendance").order_by("starts_at")
    return TemplateResponse(
        request,
        "events/series_detail.html",
        {"series": series, "nights": nights, "now": timezone.now()},
    )


def series_edit(request: HttpRequest, series_id: UUID) -> HttpResponse:
    series = get_series_for_user(request.user, series_id)
    if request.method != "POST" and series.is_cancelled:
        messages.error(request, _("This series was cancelled; it cannot be changed."))
        return redirect("events:series", series_id=series.pk)
    own = host_organizations(request.user)
    initial = {
        **_details_initial(series),
        "weekdays": series.weekdays,
        "start_time": series.start_time,
        "end_time": series.end_time,
        "first_date": series.first_date,
        "last_date": series.last_date,
    }
    form = SeriesForm(request.POST or None, own_organizations=own, initial=initial)
    counts = save_posted(
        request,
        form,
        lambda data: services.series_update(request=request, series=series, data=data),
        lambda counts: (
            _(
                "The series was saved: %(added)s nights added, %(updated)s updated, "
                "%(removed)s removed; %(kept)s held, cancelled or edited nights kept "
                "as they were."
            )
            % counts
        ),
    )
    if counts is not NOT_SAVED:
        return redirect("events:series", series_id=series.pk)
    return TemplateResponse(
        request,
        "events/series_form.html",
        {"form": form, "series": series},
        status=status_of(form),
    )


def series_cancel(request: HttpRequest, series_id: UUID) -> HttpResponse:
    series = get_series_for_user(request.user, series_id)
    if request.method != "POST" and series.is_cancelled:
        messages.error(request, _("This series was already cancelled."))
        return redirect("events:series", series_id=series.pk)
    form = CancelForm(request.POST or None)
    count = save_posted(
        request,
        form,
        lambda data: services.series_cancel(request=request, series=series, notice=data["notice"]),
        lambda count: (
            _("The series was cancelled: %(count)s coming nights carry the notice.")
            % {"count": count}
        ),
    )
    if count is not NOT_SAVED:
        return redirect("events:series", series_id=series.pk)
    return TemplateResponse(
        request,
        "events/cancel_form.html",
        {"form": form, "event": None, "series": series},
        status=status_of(form),
    )


# --- Places -------------------------------------------------------------------------


@require_GET
@permission_required(Permission.MANAGE_EVENTS)
def place_list(request: HttpRequest) -> HttpResponse:
    places = (
        Place.objects.select_related("community_area")
        .defer("community_area__boundary")
        .order_by("name")
    )
    return TemplateResponse(request, "events/place_list.html", {"page": paginate(request, places)})


@permission_required(Permission.MANAGE_EVENTS)
def place_new(request: HttpRequest) -> HttpResponse:
    form = PlaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        place = services.place_create(request=request, data=form.cleaned_data)
        messages.success(request, _("%(name)s was added.") % {"name": place.name})
        return redirect("events:places")
    return TemplateResponse(
        request, "events/place_form.html", {"form": form}, status=status_of(form)
    )
