"""Every write of the Peace Academy, with its audit event, inside one transaction; and
the audited reads of rosters.

Completion rule: an enrollment is complete as soon as the hours credited to the trainee
reach the course's required hours, whether or not the cohort has ended — the
certificate certifies hours, and a trainee who has them should not wait. The completion
date is the date of the session whose attendance brought the total to the requirement.
A later correction that takes the total below the requirement withdraws the completion
(the certificate page then answers 404); the certificate number, made from the
enrollment's id, stays the same if the hours are reached again.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes
from django.utils.formats import date_format
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from peacehub.academy.access import trainers_of
from peacehub.academy.catalogue import CATALOGUE
from peacehub.academy.models import (
    Attendance,
    Cohort,
    Course,
    Enrollment,
    Interest,
    Session,
    Trainee,
    TraineeCategory,
)
from peacehub.accounts.models import Organization, User
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_event_record, audit_request, client_ip

# The public interest form: at most this many accepted submissions an hour from one
# address, and only from a form that was open between these two limits.
INTEREST_LIMIT_PER_HOUR = 5
INTEREST_MIN_SECONDS = 3
INTEREST_MAX_SECONDS = 24 * 3600
# How long the keyed hash of a sender's address is kept: long enough for the limit.
CLIENT_HASH_KEPT = datetime.timedelta(days=1)


def _organization_id(record) -> str:
    return str(record.organization_id)


# --- The catalogue ----------------------------------------------------------------------


@transaction.atomic
def catalogue_load() -> list[Course]:
    """Add the catalogue's courses that are missing, by slug. Never changes a course
    that exists (trainers may have edited it). Returns the courses created."""
    existing = set(Course.objects.values_list("slug", flat=True))
    created = [
        Course.objects.create(
            slug=entry.slug,
            name=entry.name,
            name_es=entry.name_es,
            summary=entry.summary,
            summary_es=entry.summary_es,
            audience=entry.audience,
            required_hours=entry.required_hours,
            length_weeks=entry.length_weeks,
        )
        for entry in CATALOGUE
        if entry.slug not in existing
    ]
    if created:
        audit_event_record(
            actor=None,
            action=AuditAction.CREATE,
            record_type="academy.course",
            detail={"catalogue": [c.slug for c in created]},
        )
    return created


COURSE_FIELDS = (
    "slug",
    "name",
    "name_es",
    "summary",
    "summary_es",
    "audience",
    "required_hours",
    "length_weeks",
    "is_active",
)


@transaction.atomic
def course_create(*, request, data: dict[str, Any]) -> Course:
    course = Course.objects.create(**{f: data[f] for f in COURSE_FIELDS if f in data})
    audit_request(request, AuditAction.CREATE, course)
    return course


@transaction.atomic
def course_update(*, request, course: Course, data: dict[str, Any]) -> Course:
    changed = [f for f in COURSE_FIELDS if f in data and getattr(course, f) != data[f]]
    for name in changed:
        setattr(course, name, data[name])
    if changed:
        course.save(update_fields=changed)
        audit_request(request, AuditAction.UPDATE, course, detail={"fields": changed})
    return course


# --- Cohorts and sessions -------------------------------------------------------------


def _check_cohort_dates(*, starts_on: datetime.date, ends_on: datetime.date, cohort=None):
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("A cohort cannot end before it starts.")})
    if cohort is not None:
        outside = cohort.sessions.exclude(held_on__range=(starts_on, ends_on)).first()
        if outside is not None:
            raise ValidationError(
                _("The session of %(date)s would fall outside these dates.")
                % {"date": date_format(outside.held_on, "SHORT_DATE_FORMAT")}
            )


def _check_trainers(organization: Organization, trainers) -> None:
    allowed = set(trainers_of(organization.pk).values_list("pk", flat=True))
    if any(t.pk not in allowed for t in trainers):
        raise ValidationError({"trainers": _("Choose trainers of the organization.")})


@transaction.atomic
def cohort_create(*, request, organization: Organization, data: dict[str, Any]) -> Cohort:
    _check_cohort_dates(starts_on=data["starts_on"], ends_on=data["ends_on"])
    trainers = list(data.get("trainers") or [])
    _check_trainers(organization, trainers)
    cohort = Cohort.objects.create(
        course=data["course"],
        organization=organization,
        name=data["name"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        place=data.get("place", ""),
        open_to_public=data.get("open_to_public", False),
    )
    cohort.trainers.set(trainers)
    audit_request(request, AuditAction.CREATE, cohort)
    return cohort


COHORT_FIELDS = ("course", "name", "starts_on", "ends_on", "place", "open_to_public")


@transaction.atomic
def cohort_update(*, request, cohort: Cohort, data: dict[str, Any]) -> Cohort:
    _check_cohort_dates(starts_on=data["starts_on"], ends_on=data["ends_on"], cohort=cohort)
    if data["course"].pk != cohort.course_id and cohort.enrollments.exists():
        raise ValidationError(
            {"course": _("Trainees are enrolled: the course of this cohort cannot change.")}
        )
    trainers = list(data.get("trainers") or [])
    _check_trainers(cohort.organization, trainers)
    changed = [f for f in COHORT_FIELDS if getattr(cohort, f) != data[f]]
    for name in changed:
        setattr(cohort, name, data[name])
    if changed:
        cohort.save(update_fields=changed)
    if {t.pk for t in trainers} != set(cohort.trainers.values_list("pk", flat=True)):
        cohort.trainers.set(trainers)
        changed.append("trainers")
    if changed:
        audit_request(request, AuditAction.UPDATE, cohort, detail={"fields": changed})
    return cohort


def session_check(*, cohort: Cohort, data: dict[str, Any]) -> None:
    """Rules a form also shows; repeated here so that no caller can skip them."""
    hours = data["hours"]
    if hours <= 0:
        raise ValidationError({"hours": _("A session lasts more than 0 hours.")})
    if hours > 24:
        raise ValidationError({"hours": _("A session cannot be longer than a day (24 hours).")})
    starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
    if (starts_at is None) != (ends_at is None):
        raise ValidationError(_("Give both the start and the end time, or neither."))
    if starts_at is not None and ends_at is not None:
        if ends_at <= starts_at:
            raise ValidationError(
                {"ends_at": _("A session ends after it starts, on the same day.")}
            )
        span = datetime.datetime.combine(datetime.date.min, ends_at) - datetime.datetime.combine(
            datetime.date.min, starts_at
        )
        if Decimal(span.total_seconds()) / 3600 < hours:
            raise ValidationError(
                {"hours": _("More hours than there are between the start and the end time.")}
            )
    if not cohort.starts_on <= data["held_on"] <= cohort.ends_on:
        raise ValidationError(
            {
                "held_on": _("This cohort runs from %(start)s to %(end)s.")
                % {
                    "start": date_format(cohort.starts_on, "SHORT_DATE_FORMAT"),
                    "end": date_format(cohort.ends_on, "SHORT_DATE_FORMAT"),
                }
            }
        )
    trainer = data.get("trainer")
    if trainer is not None and not trainers_of(cohort.organization_id).filter(pk=trainer.pk):
        raise ValidationError({"trainer": _("Choose a trainer of the organization.")})


@transaction.atomic
def session_add(*, request, cohort: Cohort, data: dict[str, Any]) -> Session:
    session_check(cohort=cohort, data=data)
    session = Session.objects.create(
        cohort=cohort,
        held_on=data["held_on"],
        topic=data["topic"],
        hours=data["hours"],
        starts_at=data.get("starts_at"),
        ends_at=data.get("ends_at"),
        trainer=data.get("trainer"),
    )
    audit_request(request, AuditAction.CREATE, session, organization_id=str(cohort.organization_id))
    return session


# --- Trainees and enrollment -------------------------------------------------------------


def _enroll(*, request, cohort: Cohort, trainee: Trainee) -> Enrollment:
    enrollment = Enrollment.objects.filter(cohort=cohort, trainee=trainee).first()
    if enrollment is not None:
        if enrollment.withdrawn_on is None:
            raise ValidationError(_("%(name)s is already enrolled.") % {"name": trainee.full_name})
        enrollment.withdrawn_on = None
        enrollment.save(update_fields=["withdrawn_on"])
        audit_request(
            request,
            AuditAction.UPDATE,
            enrollment,
            organization_id=_organization_id(cohort),
            detail={"fields": ["withdrawn_on"], "trainee": str(trainee.pk)},
        )
        return enrollment
    enrollment = Enrollment.objects.create(cohort=cohort, trainee=trainee)
    audit_request(
        request,
        AuditAction.CREATE,
        enrollment,
        organization_id=_organization_id(cohort),
        detail={"trainee": str(trainee.pk), "cohort": str(cohort.pk)},
    )
    return enrollment


@transaction.atomic
def staff_enroll(*, request, cohort: Cohort, email: str) -> Enrollment:
    """Enroll a coalition staff member, found by their exact address: trainers never
    browse other organizations' staff lists. No membership is created or changed."""
    user = (
        User.objects.filter(email=email.strip().lower(), is_active=True, memberships__isnull=False)
        .distinct()
        .first()
    )
    if user is None:
        raise ValidationError({"email": _("No coalition staff member has this email address.")})
    trainee = Trainee.objects.filter(organization_id=cohort.organization_id, user=user).first()
    if trainee is None:
        trainee = Trainee.objects.create(
            organization_id=cohort.organization_id,
            user=user,
            full_name=user.full_name,
            email=user.email,
            preferred_language=user.preferred_language,
            category=TraineeCategory.STAFF,
        )
        audit_request(request, AuditAction.CREATE, trainee, detail={"category": "staff"})
    elif trainee.category != TraineeCategory.STAFF:
        raise ValidationError(
            {"email": _("This address belongs to an outside trainee; enroll them as such.")}
        )
    return _enroll(request=request, cohort=cohort, trainee=trainee)


@transaction.atomic
def outside_trainee_enroll(*, request, cohort: Cohort, data: dict[str, Any]) -> Enrollment:
    """Enroll someone from outside the coalition. Their category is recorded on the
    trainee; nothing here creates or touches a membership. An address the academy knows
    already finds the same trainee record."""
    category = data["category"]
    if category not in TraineeCategory.values or category == TraineeCategory.STAFF:
        raise ValidationError({"category": _("Choose who the trainee is from the list.")})
    email = (data.get("email") or "").strip().lower()
    if email and User.objects.filter(email=email, memberships__isnull=False).exists():
        raise ValidationError(
            {"email": _("This address belongs to coalition staff: enroll them as staff.")}
        )
    trainee = None
    if email:
        trainee = Trainee.objects.filter(
            organization_id=cohort.organization_id, email=email
        ).first()
    if trainee is None:
        trainee = Trainee.objects.create(
            organization_id=cohort.organization_id,
            full_name=data["full_name"],
            category=category,
            agency=data.get("agency", ""),
            email=email,
            phone=data.get("phone", ""),
            preferred_language=data.get("preferred_language") or "en",
        )
        audit_request(request, AuditAction.CREATE, trainee, detail={"category": category})
    enrollment = _enroll(request=request, cohort=cohort, trainee=trainee)
    if data.get("give_sign_in"):
        trainee_sign_in_give(request=request, trainee=trainee)
    return enrollment


@transaction.atomic
def trainee_sign_in_give(*, request, trainee: Trainee) -> User:
    """A sign-in that opens the trainee's own record and nothing else: a User with no
    membership (and none may ever be added), with no usable password until the person
    sets one through the link e-mailed to them."""
    if trainee.category == TraineeCategory.STAFF:
        raise ValidationError(_("Staff sign in with their own account."))
    if not trainee.email:
        raise ValidationError({"email": _("A sign-in needs the trainee's email address.")})
    user = trainee.user
    if user is None:
        user = User.objects.filter(email=trainee.email).first()
        if user is not None and user.memberships.exists():
            raise ValidationError(
                {"email": _("This address belongs to coalition staff: enroll them as staff.")}
            )
        if user is None:
            user = User.objects.create_user(
                email=trainee.email,
                password=None,
                full_name=trainee.full_name,
                preferred_language=trainee.preferred_language,
            )
        trainee.user = user
        trainee.save(update_fields=["user"])
        audit_request(request, AuditAction.UPDATE, trainee, detail={"fields": ["sign_in"]})
    link = request.build_absolute_uri(
        reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    )
    records = request.build_absolute_uri(
        f"{reverse('accounts:login')}?next={reverse('academy:my_training')}"
    )
    transaction.on_commit(lambda: _send_sign_in_link(user=user, link=link, records=records))
    return user


def _send_sign_in_link(*, user: User, link: str, records: str) -> None:
    with translation.override(user.preferred_language):
        context = {"user": user, "link": link, "records": records}
        send_mail(
            subject=_("Your Peace Academy training record"),
            message=render_to_string("academy/email/sign_in.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )


@transaction.atomic
def enrollment_withdraw(*, request, enrollment: Enrollment) -> Enrollment:
    if enrollment.withdrawn_on is None:
        enrollment.withdrawn_on = timezone.localdate()
        enrollment.save(update_fields=["withdrawn_on"])
        audit_request(
            request,
            AuditAction.UPDATE,
            enrollment,
            organization_id=str(enrollment.cohort.organization_id),
            detail={"fields": ["withdrawn_on"]},
        )
    return enrollment


# --- Attendance and completion ---------------------------------------------------------


def certificate_number(enrollment: Enrollment, completed_on: datetime.date) -> str:
    return f"PA-{completed_on:%Y}-{enrollment.pk.hex[:8].upper()}"


def enrollment_completion_update(enrollment: Enrollment) -> Enrollment:
    """Apply the completion rule (see the module docstring) to one enrollment."""
    required = enrollment.cohort.course.required_hours
    total = Decimal(0)
    reached_on = None
    rows = (
        enrollment.attendances.filter(hours_credited__gt=0)
        .order_by("session__held_on", "session__starts_at")
        .values_list("hours_credited", "session__held_on")
    )
    for hours, held_on in rows:
        total += hours
        if total >= required:
            reached_on = held_on
            break
    changed = []
    if reached_on != enrollment.completed_on:
        enrollment.completed_on = reached_on
        changed.append("completed_on")
    if reached_on is not None and not enrollment.certificate_number:
        enrollment.certificate_number = certificate_number(enrollment, reached_on)
        changed.append("certificate_number")
    if changed:
        enrollment.save(update_fields=changed)
    return enrollment


@transaction.atomic
def attendance_record(
    *, request, session: Session, marks: list[tuple[Enrollment, bool, Decimal | None]]
) -> list[Enrollment]:
    """Record a session's attendance sheet: (enrollment, present, hours or None for
    the whole session). All rows or none. Returns the enrollments that completed."""
    errors = []
    rows = []
    for enrollment, present, hours in marks:
        if enrollment.cohort_id != session.cohort_id or enrollment.withdrawn_on is not None:
            errors.append(_("%(name)s is not in this cohort.") % {"name": enrollment.trainee})
            continue
        credited = (session.hours if hours is None else hours) if present else Decimal(0)
        if credited < 0:
            errors.append(_("Hours cannot be negative."))
        elif credited > session.hours:
            errors.append(
                _("%(name)s cannot be credited more than the session's %(hours)s hours.")
                % {"name": enrollment.trainee, "hours": f"{session.hours.normalize():f}"}
            )
        rows.append((enrollment, present, credited))
    if errors:
        raise ValidationError(errors)
    existing = {a.enrollment_id: a for a in session.attendances.all()}
    now = timezone.now()
    changed_ids = []
    for enrollment, present, credited in rows:
        attendance = existing.get(enrollment.pk)
        if attendance is None:
            # An absence is a row too: the sheet then shows that attendance was taken.
            Attendance.objects.create(
                session=session,
                enrollment=enrollment,
                present=present,
                hours_credited=credited,
                recorded_by=request.user,
                recorded_at=now,
            )
            changed_ids.append(enrollment.pk)
        elif attendance.present != present or attendance.hours_credited != credited:
            attendance.present = present
            attendance.hours_credited = credited
            attendance.recorded_by = request.user
            attendance.recorded_at = now
            attendance.save(
                update_fields=["present", "hours_credited", "recorded_by", "recorded_at"]
            )
            changed_ids.append(enrollment.pk)
    completed = []
    for enrollment, _present, _credited in rows:
        if enrollment.pk in changed_ids:
            was_complete = enrollment.completed_on is not None
            enrollment_completion_update(enrollment)
            if enrollment.completed_on is not None and not was_complete:
                completed.append(enrollment)
    if changed_ids:
        audit_request(
            request,
            AuditAction.UPDATE,
            session,
            organization_id=str(session.cohort.organization_id),
            detail={
                "attendance_of": [str(pk) for pk in changed_ids],
                "completed": [str(e.pk) for e in completed],
            },
        )
    return completed


# --- Audited reads ------------------------------------------------------------------------


def roster_read(*, request, cohort: Cohort, enrollments, action=AuditAction.LIST) -> None:
    """Every read of a cohort's trainees (page, attendance sheet, export) is logged:
    which trainees were shown, to whom."""
    audit_request(
        request,
        action,
        cohort,
        detail={"trainee_ids": [str(e.trainee_id) for e in enrollments]},
    )


def enrollments_read(*, request, enrollments) -> None:
    """A trainee reading their own record list."""
    audit_request(
        request,
        AuditAction.LIST,
        record_type="academy.enrollment",
        detail={"record_ids": [str(e.pk) for e in enrollments]},
    )


def enrollment_read(*, request, enrollment: Enrollment, action=AuditAction.VIEW) -> None:
    audit_request(
        request,
        action,
        enrollment,
        organization_id=str(enrollment.cohort.organization_id),
        detail={"trainee": str(enrollment.trainee_id)},
    )


# --- Interest from the public ------------------------------------------------------------


def client_hash(request) -> str:
    """A keyed hash of the sender's address: enough to count, useless without the key."""
    return salted_hmac(
        "peacehub.academy.interest", client_ip(request) or "", algorithm="sha256"
    ).hexdigest()


def interest_rate_limited(request) -> bool:
    since = timezone.now() - datetime.timedelta(hours=1)
    recent = Interest.objects.filter(client_hash=client_hash(request), submitted_at__gte=since)
    return recent.count() >= INTEREST_LIMIT_PER_HOUR


class RateLimited(Exception):
    pass


@transaction.atomic
def interest_submit(*, request, data: dict[str, Any]) -> Interest:
    if interest_rate_limited(request):
        raise RateLimited
    now = timezone.now()
    # The hashes are needed for an hour; none is kept past a day.
    Interest.objects.filter(submitted_at__lt=now - CLIENT_HASH_KEPT).exclude(client_hash="").update(
        client_hash=""
    )
    interest = Interest.objects.create(
        cohort=data["cohort"],
        name=data["name"],
        email=data.get("email", ""),
        phone=data.get("phone", ""),
        preferred_language=data["preferred_language"],
        message=data.get("message", ""),
        submitted_at=now,
        client_hash=client_hash(request),
    )
    audit_event_record(
        actor=None,
        action=AuditAction.CREATE,
        record=interest,
        organization_id=str(data["cohort"].organization_id),
        ip_address=client_ip(request),
    )
    return interest


@transaction.atomic
def interest_handled(*, request, interest: Interest, handled: bool = True) -> Interest:
    if handled == (interest.handled_at is not None):
        return interest
    interest.handled_at = timezone.now() if handled else None
    interest.handled_by = request.user if handled else None
    interest.save(update_fields=["handled_at", "handled_by"])
    audit_request(
        request,
        AuditAction.UPDATE,
        interest,
        organization_id=str(interest.cohort.organization_id),
        detail={"fields": ["handled"], "handled": handled},
    )
    return interest


def interests_read(*, request, interests: QuerySet | list) -> None:
    audit_request(
        request,
        AuditAction.LIST,
        record_type="academy.interest",
        detail={"record_ids": [str(i.pk) for i in interests]},
    )
