"""The trainer's pages: cohorts, sessions, enrollment, attendance and the roster export.
Every record comes through peacehub.academy.access; every write through services."""

import csv
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peacehub.academy import services
from peacehub.academy.access import (
    MANAGE,
    cohorts_visible_to,
    get_cohort_for_user,
    get_enrollment_for_user,
    get_session_for_user,
    trainers_of,
    with_hours,
)
from peacehub.academy.forms import (
    AttendanceForm,
    CohortForm,
    OutsideTraineeForm,
    SessionForm,
    StaffEnrollForm,
)
from peacehub.academy.models import Cohort, Session
from peacehub.accounts.access import organizations_with
from peacehub.audit.models import AuditAction
from peacehub.forms import NOT_SAVED, save_posted, status_of
from peacehub.http import paginate, permission_required


def _roster(cohort: Cohort, *, active_only: bool = False):
    enrollments = with_hours(cohort.enrollments.select_related("trainee")).order_by(
        "trainee__full_name"
    )
    if active_only:
        enrollments = enrollments.filter(withdrawn_on__isnull=True)
    roster = list(enrollments)
    for enrollment in roster:
        enrollment.cohort = cohort  # progress reads the course's hours from the cohort
    return roster


def _trainer_choices(organizations):
    return trainers_of(*[o.pk for o in organizations]).order_by("full_name")


@require_GET
@permission_required(MANAGE)
def cohort_list(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "current")
    cohorts = (
        cohorts_visible_to(request.user)
        .select_related("course")
        .annotate(
            # Two joins multiply each other's rows: count distinct ids.
            trainee_count=Count(
                "enrollments",
                filter=Q(enrollments__withdrawn_on__isnull=True),
                distinct=True,
            ),
            session_count=Count("sessions", distinct=True),
        )
    )
    if show != "all":
        cohorts = cohorts.filter(ends_on__gte=timezone.localdate())
    return TemplateResponse(
        request,
        "academy/cohort_list.html",
        {"page": paginate(request, cohorts.order_by("-starts_on", "name")), "show": show},
    )


@permission_required(MANAGE)
def cohort_new(request: HttpRequest) -> HttpResponse:
    organizations = organizations_with(request.user, MANAGE)
    form = CohortForm(
        request.POST or None,
        organizations=organizations,
        trainers=_trainer_choices(organizations),
        initial={"trainers": [request.user.pk]},
    )
    cohort = save_posted(
        request,
        form,
        lambda data: services.cohort_create(
            request=request, organization=data["organization"], data=data
        ),
        _("Cohort created."),
    )
    if cohort is not NOT_SAVED:
        return redirect("academy:cohort", cohort_id=cohort.pk)
    return TemplateResponse(
        request,
        "academy/cohort_form.html",
        {"form": form},
        status=status_of(form),
    )


def cohort_edit(request: HttpRequest, cohort_id: UUID) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id)
    initial = {
        "organization": str(cohort.organization_id),
        "course": cohort.course_id,
        "name": cohort.name,
        "starts_on": cohort.starts_on,
        "ends_on": cohort.ends_on,
        "place": cohort.place,
        "trainers": list(cohort.trainers.values_list("pk", flat=True)),
        "open_to_public": cohort.open_to_public,
    }
    form = CohortForm(
        request.POST or None,
        organizations=[cohort.organization],
        trainers=_trainer_choices([cohort.organization]),
        initial=initial,
    )
    updated = save_posted(
        request,
        form,
        lambda data: services.cohort_update(request=request, cohort=cohort, data=data),
        _("Cohort updated."),
    )
    if updated is not NOT_SAVED:
        return redirect("academy:cohort", cohort_id=cohort.pk)
    return TemplateResponse(
        request,
        "academy/cohort_form.html",
        {"form": form, "cohort": cohort},
        status=status_of(form),
    )


@require_GET
def cohort_detail(request: HttpRequest, cohort_id: UUID) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id)
    roster = _roster(cohort)
    services.roster_read(request=request, cohort=cohort, enrollments=roster)
    # An aggregate drops Meta.ordering: order again.
    sessions = (
        cohort.sessions.select_related("trainer")
        .annotate(present_count=Count("attendances", filter=Q(attendances__present=True)))
        .order_by("held_on", "starts_at")
    )
    return TemplateResponse(
        request,
        "academy/cohort_detail.html",
        {
            "cohort": cohort,
            "roster": roster,
            "sessions": sessions,
            "trainers": cohort.trainers.order_by("full_name"),
            "scheduled_hours": sum((s.hours for s in sessions), start=0),
        },
    )


def session_new(request: HttpRequest, cohort_id: UUID) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id)
    form = SessionForm(
        request.POST or None,
        cohort=cohort,
        trainers=_trainer_choices([cohort.organization]),
        initial={"trainer": request.user.pk},
    )
    session = save_posted(
        request,
        form,
        lambda data: services.session_add(request=request, cohort=cohort, data=data),
        _("Session added."),
    )
    if session is not NOT_SAVED:
        if "another" in request.POST:
            return redirect("academy:session_new", cohort_id=cohort.pk)
        return redirect("academy:session", session_id=session.pk)
    return TemplateResponse(
        request,
        "academy/session_form.html",
        {"form": form, "cohort": cohort},
        status=status_of(form),
    )


def _enrolled(enrollment) -> str:
    return _("%(name)s is enrolled.") % {"name": enrollment.trainee.full_name}


def _enroll_page(request, cohort, *, status=200, staff_form=None, outside_form=None):
    return TemplateResponse(
        request,
        "academy/enroll.html",
        {
            "cohort": cohort,
            "staff_form": staff_form or StaffEnrollForm(),
            "outside_form": outside_form or OutsideTraineeForm(),
        },
        status=status,
    )


@require_GET
def enroll(request: HttpRequest, cohort_id: UUID) -> HttpResponse:
    return _enroll_page(request, get_cohort_for_user(request.user, cohort_id))


@require_POST
def enroll_staff(request: HttpRequest, cohort_id: UUID) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id)
    form = StaffEnrollForm(request.POST)
    enrollment = save_posted(
        request,
        form,
        lambda data: services.staff_enroll(request=request, cohort=cohort, email=data["email"]),
        _enrolled,
    )
    if enrollment is not NOT_SAVED:
        return redirect("academy:cohort", cohort_id=cohort.pk)
    return _enroll_page(request, cohort, status=400, staff_form=form)


@require_POST
def enroll_outside(request: HttpRequest, cohort_id: UUID) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id)
    form = OutsideTraineeForm(request.POST)
    enrollment = save_posted(
        request,
        form,
        lambda data: services.outside_trainee_enroll(request=request, cohort=cohort, data=data),
        _enrolled,
    )
    if enrollment is not NOT_SAVED:
        if form.cleaned_data["give_sign_in"]:
            messages.info(request, _("A sign-in link was emailed to the trainee."))
        return redirect("academy:cohort", cohort_id=cohort.pk)
    return _enroll_page(request, cohort, status=400, outside_form=form)


@require_POST
def enrollment_withdraw(request: HttpRequest, enrollment_id: UUID) -> HttpResponse:
    enrollment = get_enrollment_for_user(request.user, enrollment_id, manage=True)
    services.enrollment_withdraw(request=request, enrollment=enrollment)
    messages.success(request, _("%(name)s was withdrawn.") % {"name": enrollment.trainee})
    return redirect("academy:cohort", cohort_id=enrollment.cohort_id)


@require_POST
def enrollment_sign_in(request: HttpRequest, enrollment_id: UUID) -> HttpResponse:
    enrollment = get_enrollment_for_user(request.user, enrollment_id, manage=True)
    try:
        services.trainee_sign_in_give(request=request, trainee=enrollment.trainee)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("academy:enrollment", enrollment_id=enrollment.pk)
    messages.success(request, _("A sign-in link was emailed to the trainee."))
    return redirect("academy:enrollment", enrollment_id=enrollment.pk)


def _attendance_page(request, session: Session, form: AttendanceForm, status=200):
    return TemplateResponse(
        request,
        "academy/session_attendance.html",
        {"session": session, "cohort": session.cohort, "form": form},
        status=status,
    )


def session_attendance(request: HttpRequest, session_id: UUID) -> HttpResponse:
    session = get_session_for_user(request.user, session_id)
    roster = _roster(session.cohort, active_only=True)
    # Not `request.POST or None`: a sheet with everyone absent may post no field at all.
    data = request.POST if request.method == "POST" else None
    form = AttendanceForm(data, session=session, enrollments=roster)
    if request.method == "POST":
        completed = save_posted(
            request,
            form,
            lambda data: services.attendance_record(
                request=request, session=session, marks=form.marks()
            ),
            _("Attendance saved."),
        )
        if completed is NOT_SAVED:
            return _attendance_page(request, session, form, status=400)
        for enrollment in completed:
            messages.success(
                request, _("%(name)s has completed the course.") % {"name": enrollment.trainee}
            )
        return redirect("academy:cohort", cohort_id=session.cohort_id)
    services.roster_read(request=request, cohort=session.cohort, enrollments=roster)
    return _attendance_page(request, session, form)


class _Echo:
    def write(self, value):
        return value


def _cell(value) -> str:
    """Spreadsheets run a cell that starts like a formula: never let one do so."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_GET
def roster_export(request: HttpRequest, cohort_id: UUID) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id)
    roster = _roster(cohort)
    services.roster_read(
        request=request, cohort=cohort, enrollments=roster, action=AuditAction.EXPORT
    )
    attended = dict(
        cohort.enrollments.annotate(
            n=Count("attendances", filter=Q(attendances__present=True))
        ).values_list("pk", "n")
    )
    writer = csv.writer(_Echo())
    header = [
        _("Trainee"),
        _("Trainee category"),
        _("Organization, agency or district"),
        _("Email address"),
        _("Phone"),
        _("Sessions attended"),
        _("Hours credited"),
        _("Required hours"),
        _("Completed on"),
        _("Certificate number"),
        _("Withdrawn on"),
    ]
    rows = [
        [
            _cell(e.trainee.full_name),
            e.trainee.get_category_display(),
            _cell(e.trainee.agency),
            _cell(e.trainee.email),
            _cell(e.trainee.phone),
            attended.get(e.pk, 0),
            f"{e.hours.normalize():f}",
            f"{cohort.course.required_hours.normalize():f}",
            e.completed_on.isoformat() if e.completed_on else "",
            (e.certificate_number or "") if e.completed_on else "",
            e.withdrawn_on.isoformat() if e.withdrawn_on else "",
        ]
        for e in roster
    ]
    content = "".join(writer.writerow(row) for row in [header, *rows])
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="roster-{cohort.starts_on}.csv"'
    return response
