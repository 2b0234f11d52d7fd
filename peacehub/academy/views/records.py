"""A trainee's own training record and certificate; the same pages for the cohort's
trainers. An outside trainee's sign-in opens these pages and nothing else."""

from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from peacehub.academy import services
from peacehub.academy.access import (
    can_manage_academy,
    get_enrollment_for_user,
    own_enrollments,
    with_hours,
)
from peacehub.accounts.access import has_permission
from peacehub.accounts.roles import Permission
from peacehub.audit.models import AuditAction


@require_GET
def my_training(request: HttpRequest) -> HttpResponse:
    enrollments = list(
        with_hours(own_enrollments(request.user))
        .select_related("cohort__course", "cohort__organization")
        .order_by("-cohort__starts_on")
    )
    if enrollments:
        services.enrollments_read(request=request, enrollments=enrollments)
    return TemplateResponse(
        request,
        "academy/my_training.html",
        {"enrollments": enrollments, "is_trainer": can_manage_academy(request.user)},
    )


@require_GET
def enrollment_detail(request: HttpRequest, enrollment_id: UUID) -> HttpResponse:
    enrollment = get_enrollment_for_user(request.user, enrollment_id)
    services.enrollment_read(request=request, enrollment=enrollment)
    attendance = {a.session_id: a for a in enrollment.attendances.all()}
    sessions = [
        (session, attendance.get(session.pk))
        for session in enrollment.cohort.sessions.select_related("trainer")
    ]
    return TemplateResponse(
        request,
        "academy/enrollment_detail.html",
        {
            "enrollment": enrollment,
            "trainee": enrollment.trainee,
            "cohort": enrollment.cohort,
            "sessions": sessions,
            "attended": sum(1 for a in attendance.values() if a.present),
            "can_manage": has_permission(
                request.user, Permission.MANAGE_ACADEMY, enrollment.cohort.organization_id
            ),
        },
    )


@require_GET
def certificate(request: HttpRequest, enrollment_id: UUID) -> HttpResponse:
    enrollment = get_enrollment_for_user(request.user, enrollment_id)
    if enrollment.completed_on is None:
        raise Http404
    services.enrollment_read(request=request, enrollment=enrollment, action=AuditAction.PRINT)
    return TemplateResponse(
        request,
        "academy/certificate.html",
        {
            "enrollment": enrollment,
            "trainee": enrollment.trainee,
            "cohort": enrollment.cohort,
            "course": enrollment.cohort.course,
            "trainers": enrollment.cohort.trainers.order_by("full_name"),
        },
    )
