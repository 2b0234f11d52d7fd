"""Who sees which part of the Peace Academy. The one place that decides.

- The course catalogue is reference data: every trainer (MANAGE_ACADEMY anywhere) may
  read and edit it; the public sees the courses of open cohorts only.
- A cohort, its sessions, its trainees, their attendance and the public's interests
  belong to the organization running the cohort. Its trainers (MANAGE_ACADEMY in that
  organization) see and manage them; another member of that organization gets 403;
  everyone else gets 404, exactly as for a cohort that does not exist.
- A trainee sees their own training record — their enrollments, hours, the sessions
  they attended, their certificate — and nothing else: never the roster, never another
  trainee. That holds for a staff member and for an outside trainee's sign-in alike (a
  User with no membership, which no other part of PeaceHub lets in).
- Nobody else sees trainee lists: not supervisors, admins, convener staff or
  evaluators. Police officers and community members in training are people too.
"""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import DecimalField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from peacehub.academy.models import (
    Cohort,
    Course,
    Enrollment,
    Interest,
    Session,
    Trainee,
    TraineeCategory,
)
from peacehub.accounts.access import has_permission, memberships_of, organization_ids_with
from peacehub.accounts.models import User
from peacehub.accounts.roles import ROLE_PERMISSIONS, Permission

MANAGE = Permission.MANAGE_ACADEMY


def can_manage_academy(user) -> bool:
    return has_permission(user, MANAGE)


def _managed_organization_ids(user) -> list[UUID]:
    return organization_ids_with(user, MANAGE)


def _check_organization(user, organization_id: UUID) -> None:
    """404 unless the user belongs to the organization; 403 unless they train there."""
    if not any(m.organization_id == organization_id for m in memberships_of(user)):
        raise Http404
    if not has_permission(user, MANAGE, organization_id):
        raise PermissionDenied


def trainers_of(*organization_ids: UUID) -> QuerySet:
    """Who may teach a cohort of these organizations: their members whose role manages
    the academy."""
    roles = [role for role, granted in ROLE_PERMISSIONS.items() if MANAGE in granted]
    return User.objects.filter(
        is_active=True,
        memberships__organization_id__in=organization_ids,
        memberships__role__in=roles,
    ).distinct()


def with_hours(queryset: QuerySet) -> QuerySet:
    """Enrollments annotated with `hours`, their credited hours in all."""
    return queryset.annotate(
        hours=Coalesce(
            Sum("attendances__hours_credited"),
            Value(0),
            output_field=DecimalField(max_digits=7, decimal_places=2),
        )
    )


# --- Courses ------------------------------------------------------------------------


def courses_for_trainers(user) -> QuerySet:
    if not can_manage_academy(user):
        raise PermissionDenied
    return Course.objects.all()


def get_course_for_user(user, course_id: UUID) -> Course:
    if not can_manage_academy(user):
        raise PermissionDenied
    course = Course.objects.filter(pk=course_id).first()
    if course is None:
        raise Http404
    return course


# --- Cohorts and sessions -------------------------------------------------------------


def cohorts_visible_to(user) -> QuerySet:
    return Cohort.objects.filter(organization_id__in=_managed_organization_ids(user))


def get_cohort_for_user(user, cohort_id: UUID) -> Cohort:
    cohort = Cohort.objects.select_related("course", "organization").filter(pk=cohort_id).first()
    if cohort is None:
        raise Http404
    _check_organization(user, cohort.organization_id)
    return cohort


def get_session_for_user(user, session_id: UUID) -> Session:
    session = (
        Session.objects.select_related("cohort__course", "cohort__organization", "trainer")
        .prefetch_related("attendances")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise Http404
    _check_organization(user, session.cohort.organization_id)
    return session


def public_cohorts() -> QuerySet:
    """Cohorts open to public interest that have not ended: no person in them."""
    return (
        Cohort.objects.filter(open_to_public=True, ends_on__gte=timezone.localdate())
        .select_related("course")
        .order_by("starts_on", "name")
    )


# --- Trainees and their records -------------------------------------------------------


def trainees_visible_to(user) -> QuerySet:
    return Trainee.objects.filter(organization_id__in=_managed_organization_ids(user))


def enrollments_visible_to(user) -> QuerySet:
    """Enrollments a trainer may see: their organizations' cohorts'. Never a trainee's
    own (see own_enrollments)."""
    return Enrollment.objects.filter(cohort__organization_id__in=_managed_organization_ids(user))


def own_enrollments(user) -> QuerySet:
    """The user's own training record, whoever they are."""
    if not getattr(user, "is_authenticated", False):
        return Enrollment.objects.none()
    return Enrollment.objects.filter(trainee__user_id=user.pk)


def get_enrollment_for_user(user, enrollment_id: UUID, *, manage: bool = False) -> Enrollment:
    """One trainee record. The trainee reads their own (and may not change it); the
    cohort's trainers read and manage it; other members of the organization get 403;
    everyone else 404."""
    enrollment = (
        with_hours(Enrollment.objects.filter(pk=enrollment_id))
        .select_related("trainee", "cohort__course", "cohort__organization")
        .first()
    )
    if enrollment is None:
        raise Http404
    organization_id = enrollment.cohort.organization_id
    if enrollment.trainee.user_id == getattr(user, "pk", None) and not (
        manage and has_permission(user, MANAGE, organization_id)
    ):
        if manage:
            raise PermissionDenied
        return enrollment
    _check_organization(user, organization_id)
    return enrollment


def is_outside_trainee(user) -> bool:
    """True for a sign-in made for an outside trainee: a trainee record that is not
    staff. Such a user must never be given a membership: accounts should refuse one
    (the strict xfail tests at the end of tests/test_trainee_records.py)."""
    return Trainee.objects.filter(user_id=user.pk).exclude(category=TraineeCategory.STAFF).exists()


# --- Interest from the public ---------------------------------------------------------


def interests_visible_to(user) -> QuerySet:
    return Interest.objects.filter(cohort__organization_id__in=_managed_organization_ids(user))


def get_interest_for_user(user, interest_id: UUID) -> Interest:
    interest = Interest.objects.select_related("cohort").filter(pk=interest_id).first()
    if interest is None:
        raise Http404
    _check_organization(user, interest.cohort.organization_id)
    return interest
