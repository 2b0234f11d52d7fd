"""The case manager's page and the supervisor's: who is on my caseload and what is
due, without opening each record."""

import datetime

from django.db.models import Count, Max, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from peacehub.accounts.access import organizations_with
from peacehub.accounts.roles import Permission
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_listing
from peacehub.cases.access import cases_visible_to, reentry_plans_visible_to
from peacehub.cases.assessment import REASSESS_EVERY_DAYS
from peacehub.cases.models import Assessment, Goal, GoalStatus
from peacehub.http import permission_required
from peacehub.outreach.access import introductions_visible_to
from peacehub.outreach.models import IntroductionStatus
from peacehub.referrals.summary import referral_counts_for_cases

UPCOMING_RELEASE_DAYS = 60


def _annotated_cases(cases):
    last_assessment = (
        Assessment.objects.filter(case=OuterRef("pk"))
        .order_by("-assessed_on")
        .values("assessed_on")[:1]
    )
    next_goal = (
        Goal.objects.filter(
            case=OuterRef("pk"), status__in=[GoalStatus.NOT_STARTED, GoalStatus.IN_PROGRESS]
        )
        .order_by("target_date")
        .values("target_date")[:1]
    )
    next_goal_text = (
        Goal.objects.filter(
            case=OuterRef("pk"), status__in=[GoalStatus.NOT_STARTED, GoalStatus.IN_PROGRESS]
        )
        .order_by("target_date")
        .values("description")[:1]
    )
    return cases.annotate(
        last_assessed_on=Subquery(last_assessment),
        next_goal_on=Subquery(next_goal),
        next_goal=Subquery(next_goal_text),
    )


def _flag(case, today):
    due = (
        case.last_assessed_on + datetime.timedelta(days=REASSESS_EVERY_DAYS)
        if case.last_assessed_on
        else case.opened_on
    )
    case.reassessment_due_on = due
    case.reassessment_overdue = due < today
    case.goal_overdue = bool(case.next_goal_on and case.next_goal_on < today)


@require_GET
@permission_required(Permission.MANAGE_CASES)
def caseload(request: HttpRequest) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    cases = list(
        _annotated_cases(cases_visible_to(user).filter(case_manager=user, closed_on__isnull=True))
        .select_related("person", "person__community_area")
        # An area's outline is parsed JSON: a millisecond on a caseload, and unused.
        .defer("person__community_area__boundary")
    )
    referral_counts = referral_counts_for_cases([c.pk for c in cases])
    for case in cases:
        _flag(case, today)
        case.open_referrals, case.stale_referrals = referral_counts.get(case.pk, (0, 0))
    releases = list(
        reentry_plans_visible_to(user)
        .filter(
            person_id__in=[c.person_id for c in cases],
            released_on__isnull=True,
            # A date gone by with no release recorded stays listed: the person may be
            # home already, in the days that matter most.
            expected_release_on__lte=today + datetime.timedelta(days=UPCOMING_RELEASE_DAYS),
        )
        .select_related("person")
        .order_by("expected_release_on")
    )
    # Introductions addressed to me: the people outreach hands off, before they are cases.
    waiting = list(
        introductions_visible_to(user)
        .filter(case_manager=user, status=IntroductionStatus.PENDING)
        .select_related("person", "introduced_by")
        .order_by("created_at")
    )
    audit_listing(
        request,
        AuditAction.LIST,
        [c.person for c in cases] + [p.person for p in releases] + [i.person for i in waiting],
        record_type="people.person",
        view="caseload",
    )
    return TemplateResponse(
        request,
        "cases/caseload.html",
        {
            "cases": sorted(cases, key=lambda c: c.next_goal_on or datetime.date.max),
            "overdue_reassessments": sorted(
                (c for c in cases if c.reassessment_overdue), key=lambda c: c.reassessment_due_on
            ),
            "stale_referral_cases": [c for c in cases if c.stale_referrals],
            "releases": [p for p in releases if p.expected_release_on >= today],
            "releases_passed": [p for p in releases if p.expected_release_on < today],
            "waiting": waiting,
            "today": today,
        },
    )


@require_GET
@permission_required(Permission.SUPERVISE_CASES)
def supervisor(request: HttpRequest) -> HttpResponse:
    """Each case manager's caseload size and overdue items, for the supervisor's own
    organizations; numbers only."""
    organization_ids = [o.pk for o in organizations_with(request.user, Permission.SUPERVISE_CASES)]
    today = timezone.localdate()
    cutoff = today - datetime.timedelta(days=REASSESS_EVERY_DAYS)
    rows = (
        cases_visible_to(request.user)
        .filter(organization_id__in=organization_ids, closed_on__isnull=True)
        .annotate(last_assessed_on=Max("assessments__assessed_on"))
        .values("case_manager__full_name", "case_manager_id", "pk", "last_assessed_on", "opened_on")
    )
    goals_overdue = dict(
        Goal.objects.filter(
            case__organization_id__in=organization_ids,
            case__closed_on__isnull=True,
            status__in=[GoalStatus.NOT_STARTED, GoalStatus.IN_PROGRESS],
            target_date__lt=today,
        )
        .values("case__case_manager_id")
        .annotate(total=Count("pk"))
        .values_list("case__case_manager_id", "total")
    )
    table: dict = {}
    case_ids = []
    for row in rows:
        entry = table.setdefault(
            row["case_manager_id"],
            {"name": row["case_manager__full_name"], "caseload": 0, "overdue_reassessments": 0},
        )
        entry["caseload"] += 1
        last = row["last_assessed_on"] or row["opened_on"]
        if (row["last_assessed_on"] is None and row["opened_on"] < today) or last < cutoff:
            entry["overdue_reassessments"] += 1
        case_ids.append((row["case_manager_id"], row["pk"]))
    referral_counts = referral_counts_for_cases([pk for _, pk in case_ids])
    for manager_id, case_id in case_ids:
        entry = table[manager_id]
        entry["stale_referrals"] = (
            entry.get("stale_referrals", 0) + referral_counts.get(case_id, (0, 0))[1]
        )
    # People handed off by outreach who wait for a case manager's answer, not yet cases.
    waiting = (
        introductions_visible_to(request.user)
        .filter(organization_id__in=organization_ids, status=IntroductionStatus.PENDING)
        .order_by()
        .values("case_manager_id", "case_manager__full_name")
        .annotate(total=Count("pk"))
    )
    for row in waiting:
        entry = table.setdefault(
            row["case_manager_id"],
            {"name": row["case_manager__full_name"], "caseload": 0, "overdue_reassessments": 0},
        )
        entry["waiting_introductions"] = row["total"]
    for manager_id, entry in table.items():
        entry["overdue_goals"] = goals_overdue.get(manager_id, 0)
        entry.setdefault("stale_referrals", 0)
        entry.setdefault("waiting_introductions", 0)
    return TemplateResponse(
        request,
        "cases/supervisor.html",
        {"rows": sorted(table.values(), key=lambda e: e["name"])},
    )
