import datetime
import statistics
from collections import defaultdict
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from peacehub.accounts.access import (
    has_permission,
    memberships_of,
    organizations_with,
    role_has_permission,
)
from peacehub.accounts.models import Membership, User
from peacehub.accounts.roles import Permission
from peacehub.forms import NOT_SAVED, save_posted, status_of
from peacehub.http import permission_required
from peacehub.outreach import services
from peacehub.outreach.duty import shift_covers
from peacehub.outreach.forms import DutyShiftForm
from peacehub.outreach.models import (
    AGREEMENT_STATES_UNDER_REVIEW,
    ALERT_WINDOW_HOURS,
    Agreement,
    AgreementState,
    Conflict,
    Contact,
    DutyShift,
    IncidentResponse,
    Introduction,
    IntroductionStatus,
)

WEEKS = 8
RESPONSE_WINDOW = datetime.timedelta(days=90)


def _week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _contacts_per_worker_per_week(organization_ids, today):
    first_week = _week_start(today) - datetime.timedelta(weeks=WEEKS - 1)
    weeks = [first_week + datetime.timedelta(weeks=n) for n in range(WEEKS + 1)]
    # Weeks as moments (local midnight on Mondays), counted in one pass: the database
    # only compares timestamps. Grouping by local day instead made SQLite convert the
    # time zone of every contact in Python (a quarter of a second at 20,000 people).
    bounds = [_local_midnight(week) for week in weeks]
    weeks.pop()
    per_week = {
        f"week_{n}": Count(
            "worker", filter=Q(occurred_at__gte=bounds[n], occurred_at__lt=bounds[n + 1])
        )
        for n in range(WEEKS)
    }
    rows = (
        Contact.objects.filter(
            organization_id__in=organization_ids,
            occurred_at__gte=bounds[0],
            occurred_at__lt=bounds[-1],
        )
        .values("worker_id")
        .annotate(**per_week)
        .order_by()
    )
    counts = {row["worker_id"]: [row[f"week_{n}"] for n in range(WEEKS)] for row in rows}
    names = dict(User.objects.filter(pk__in=counts).values_list("pk", "full_name"))
    # By worker id (two workers may share a name), sorted by name.
    return weeks, sorted((names[worker_id], weekly) for worker_id, weekly in counts.items())


def _response_times_by_area(organization_ids, now):
    """The rows of the table, and how many responses it leaves out: those to incidents
    recorded too late to alert anybody (their "minutes after the alert" count from an
    alert that nobody got, and would say nothing of how fast the team responds)."""
    responses = (
        IncidentResponse.objects.filter(
            organization_id__in=organization_ids, notified_at__gte=now - RESPONSE_WINDOW
        )
        .select_related("incident__community_area")
        .defer("incident__community_area__boundary", "incident__summary")
    )
    by_area = defaultdict(list)
    left_out = 0
    for response in responses:
        if response.incident.recorded_too_late_to_alert:
            left_out += 1
            continue
        by_area[response.incident.community_area.name].append(response)
    rows = []
    for area, items in sorted(by_area.items()):
        to_ack = [r.minutes_to_acknowledge for r in items if r.acknowledged_at]
        to_scene = [r.minutes_to_scene for r in items if r.on_scene_at]
        rows.append(
            {
                "area": area,
                "incidents": len(items),
                "acknowledged": len(to_ack),
                "median_to_acknowledge": round(statistics.median(to_ack)) if to_ack else None,
                "on_scene": len(to_scene),
                "median_to_scene": round(statistics.median(to_scene)) if to_scene else None,
            }
        )
    return rows, left_out


def _open_mediations_by_state(organization_ids):
    """Each open mediation once, by the state of its latest agreement (the one made
    last), then those without an agreement yet: [(label, count)], in the order of the
    states. One query."""
    latest_state = (
        Agreement.objects.filter(conflict=OuterRef("pk"))
        .order_by("-made_on", "-pk")
        .values("state")
    )
    rows = (
        Conflict.objects.filter(organization_id__in=organization_ids, closed_on__isnull=True)
        .annotate(current_state=Subquery(latest_state[:1]))
        .values("current_state")
        .annotate(total=Count("pk"))
        .order_by()
    )
    totals = {row["current_state"]: row["total"] for row in rows}
    counted = [(state.label, totals[state]) for state in AgreementState if totals.get(state)]
    if totals.get(None):
        counted.append((_("No agreement yet"), totals[None]))
    return counted


def _reviews_due(organization_ids, today):
    """Agreements of open mediations whose review date has passed while they still
    hold: the oldest first."""
    return (
        Agreement.objects.filter(
            conflict__organization_id__in=organization_ids,
            conflict__closed_on__isnull=True,
            state__in=AGREEMENT_STATES_UNDER_REVIEW,
            review_on__lt=today,
        )
        .select_related("conflict")
        .order_by("review_on", "conflict__label")
    )


@require_GET
@permission_required(Permission.SUPERVISE_OUTREACH)
def supervisor(request: HttpRequest) -> HttpResponse:
    """Numbers of the supervisor's own organization: contacts per worker per week,
    response times by area, open mediations, pending introductions. No names of
    participants."""
    organizations = organizations_with(request.user, Permission.SUPERVISE_OUTREACH)
    organization_ids = [o.pk for o in organizations]
    now = timezone.now()
    today = timezone.localdate()
    weeks, contact_rows = _contacts_per_worker_per_week(organization_ids, today)
    response_rows, recorded_too_late = _response_times_by_area(organization_ids, now)
    pending = (
        Introduction.objects.filter(
            organization_id__in=organization_ids, status=IntroductionStatus.PENDING
        )
        .select_related("introduced_by", "case_manager")
        .order_by("created_at")
    )
    return TemplateResponse(
        request,
        "outreach/supervisor.html",
        {
            "organizations": organizations,
            "weeks": weeks,
            "contact_rows": contact_rows,
            "response_rows": response_rows,
            "recorded_too_late": recorded_too_late,
            "alert_window_hours": ALERT_WINDOW_HOURS,
            "mediations_by_state": _open_mediations_by_state(organization_ids),
            "reviews_due": list(_reviews_due(organization_ids, today)),
            "pending_introductions": pending,
            "now": now,
        },
    )


def _responders(request):
    """Memberships whose shifts the user may see: every responder of the organizations
    they supervise, or only their own."""
    supervised = [o.pk for o in organizations_with(request.user, Permission.SUPERVISE_OUTREACH)]
    if supervised:
        memberships = Membership.objects.filter(organization_id__in=supervised)
    else:
        memberships = Membership.objects.filter(pk__in=[m.pk for m in memberships_of(request.user)])
    return [
        m
        for m in memberships.select_related("user", "organization").prefetch_related("duty_shifts")
        if role_has_permission(m.role, Permission.RESPOND_TO_INCIDENTS)
    ]


@permission_required(Permission.RESPOND_TO_INCIDENTS)
def duty(request: HttpRequest) -> HttpResponse:
    """Who an incident reported now would alert, every responder's week in a line, and
    for a supervisor one worker's shifts to change (?worker=)."""
    responders = _responders(request)
    now = timezone.localtime()
    for membership in responders:
        membership.shifts = sorted(
            membership.duty_shifts.all(), key=lambda s: (s.weekday, s.starts_at)
        )
        membership.on_duty_now = membership.user.is_active and any(
            shift_covers(shift, now) for shift in membership.shifts
        )
    can_edit = has_permission(request.user, Permission.SUPERVISE_OUTREACH)
    # A refused shift comes back for the worker it was for, not the first in the list.
    chosen = request.POST.get("membership") or request.GET.get("worker")
    selected = _responder(responders, chosen) if can_edit else None
    form = DutyShiftForm(
        request.POST or None,
        responders=responders,
        initial={"membership": str(selected.pk) if selected else ""},
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        shift = save_posted(
            request, form, lambda data: services.duty_shift_add(**data), _("Shift added.")
        )
        if shift is not NOT_SAVED:
            return _duty_of(shift.membership_id)
    return TemplateResponse(
        request,
        "outreach/duty.html",
        {
            "responders": responders,
            "on_duty": [m for m in responders if m.on_duty_now],
            "now": now,
            "selected": selected,
            "form": form,
            "can_edit": can_edit,
        },
        status=status_of(form),
    )


def _responder(responders, membership_id):
    return next((m for m in responders if str(m.pk) == membership_id), None)


def _duty_of(membership_id) -> HttpResponse:
    return redirect(f"{reverse('outreach:duty')}?worker={membership_id}#shifts")


@require_http_methods(["GET", "POST"])
def duty_remove(request: HttpRequest, shift_id: UUID) -> HttpResponse:
    """Asks first (a page of its own, which works without JavaScript): a shift removed
    by a slip means nobody is woken up in its hours. Removed once the page's form,
    which says so, is sent (confirm=1); a POST without it shows the question again."""
    shift = get_object_or_404(DutyShift.objects.select_related("membership__user"), pk=shift_id)
    organization_id = shift.membership.organization_id
    if not any(m.organization_id == organization_id for m in memberships_of(request.user)):
        raise Http404
    if not has_permission(request.user, Permission.SUPERVISE_OUTREACH, organization_id):
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("confirm") == "1":
        services.duty_shift_remove(shift=shift)
        messages.success(request, _("Shift removed."))
        return _duty_of(shift.membership_id)
    return TemplateResponse(
        request,
        "outreach/duty_remove.html",
        {"shift": shift, "back": f"{reverse('outreach:duty')}?worker={shift.membership_id}#shifts"},
    )
