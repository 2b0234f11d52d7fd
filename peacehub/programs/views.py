"""The programs' pages: a list per program for its staff, enrolling a participant, and
one enrollment with its milestones, matters, sessions or safety plan."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from peacehub.accounts.access import has_permission, organization_ids_with
from peacehub.accounts.roles import Permission
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_listing, audit_request
from peacehub.forms import NOT_SAVED, save_posted, status_of
from peacehub.http import paginate, uuid_or_none
from peacehub.people.models import Person
from peacehub.programs import services
from peacehub.programs.access import (
    can_manage_enrollment,
    can_read_legal_notes,
    can_read_safety_plan,
    can_read_session_notes,
    can_read_sessions,
    can_write_safety_plan,
    enrollments_managed_by,
    get_enrollment_for_user,
    get_enrollment_to_manage,
    program_permission,
    programs_of,
    restricted_fields_for,
)
from peacehub.programs.forms import (
    EnrollmentForm,
    FinishForm,
    MatterForm,
    MatterUpdateForm,
    MilestoneForm,
    SafetyPlanForm,
    SessionForm,
)
from peacehub.programs.models import (
    PROGRAM_SLUGS,
    SLUG_OF,
    Enrollment,
    EnrollmentStatus,
    LegalMatter,
    MatterStatus,
    MatterType,
    MilestoneKind,
    Program,
    ProgramSession,
    WorkforceMilestone,
)
from peacehub.referrals.access import received_referral, referrals_received_by
from peacehub.referrals.services import referral_read

ENROLLMENT_RECORD = "programs.enrollment"


def _program(user, slug: str) -> Program:
    """The program named in the URL, for its own staff only."""
    program = PROGRAM_SLUGS.get(slug)
    if program is None:
        raise Http404
    if not has_permission(user, program_permission(program)):
        raise PermissionDenied
    return program


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    programs = programs_of(request.user)
    if not programs:
        raise PermissionDenied
    if len(programs) == 1:
        return redirect("programs:list", program_slug=SLUG_OF[programs[0]])
    return TemplateResponse(
        request,
        "programs/home.html",
        {"programs": [(p, SLUG_OF[p]) for p in programs]},
    )


def _with_progress(enrollments, program: Program):
    """Annotate each enrollment with its latest step, in one query whatever the page
    size: the latest milestone, the latest matter or the last session."""
    if program == Program.WORKFORCE:
        latest = WorkforceMilestone.objects.filter(enrollment=OuterRef("pk")).order_by(
            "-achieved_on", "-recorded_at"
        )
        return enrollments.annotate(
            latest_kind=Subquery(latest.values("kind")[:1]),
            latest_on=Subquery(latest.values("achieved_on")[:1]),
        )
    if program == Program.LEGAL:
        latest = LegalMatter.objects.filter(enrollment=OuterRef("pk")).order_by("-opened_on")
        return enrollments.annotate(
            latest_kind=Subquery(latest.values("matter_type")[:1]),
            latest_on=Subquery(latest.values("opened_on")[:1]),
            open_matters=Count("matters", filter=~Q(matters__status=MatterStatus.CLOSED)),
        )
    latest = ProgramSession.objects.filter(enrollment=OuterRef("pk")).order_by("-held_on")
    return enrollments.annotate(
        latest_on=Subquery(latest.values("held_on")[:1]),
        session_count=Count("sessions"),
    )


def _latest_label(enrollment: Enrollment) -> str:
    kind = getattr(enrollment, "latest_kind", None)
    if not kind:
        return ""
    if enrollment.program == Program.WORKFORCE:
        return str(MilestoneKind(kind).label)
    return str(MatterType(kind).label)


STATUS_FILTERS = {"active", "completed", "exited", "all"}


@require_GET
def enrollment_list(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = _program(request.user, program_slug)
    status = request.GET.get("status", "active")
    status = status if status in STATUS_FILTERS else "active"
    enrollments = enrollments_managed_by(request.user, program).select_related(
        "person", "person__community_area", "organization"
    )
    if status != "all":
        enrollments = enrollments.filter(status=status)
    enrollments = _with_progress(enrollments, program).order_by(
        "person__legal_last_name", "person__legal_first_name", "-enrolled_on"
    )
    page = paginate(request, enrollments)
    for enrollment in page.object_list:
        enrollment.latest_label = _latest_label(enrollment)
    audit_listing(
        request,
        AuditAction.LIST,
        page.object_list,
        record_type=ENROLLMENT_RECORD,
        program=program,
        people=[str(e.person_id) for e in page.object_list],
    )
    return TemplateResponse(
        request,
        "programs/enrollment_list.html",
        {
            "page": page,
            "program": program,
            "program_slug": program_slug,
            "status": status,
            # The filters say what the badges of the list say.
            "statuses": [
                *EnrollmentStatus.choices,
                ("all", pgettext("enrollment status", "All")),
            ],
            "show_organization": len(
                organization_ids_with(request.user, program_permission(program))
            )
            > 1,
        },
    )


def _enrollable_people(user, program: Program):
    """People the user may enroll: their own organizations', where they are this
    program's staff."""
    organization_ids = organization_ids_with(user, program_permission(program))
    return Person.objects.visible_to(user).filter(organization_id__in=organization_ids)


def enroll(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = _program(request.user, program_slug)
    people = _enrollable_people(request.user, program)
    chosen = None
    if request.method == "POST":
        form = EnrollmentForm(request.POST, program=program, people=people)
        enrollment = save_posted(
            request,
            form,
            lambda data: services.enrollment_create(
                request=request,
                organization=data["person"].organization,
                data={**data, "program": program},
            ),
            lambda enrollment: (
                _("%(name)s is enrolled in %(program)s.")
                % {"name": enrollment.person.display_name, "program": program.label}
            ),
        )
        if enrollment is not NOT_SAVED:
            return redirect("programs:enrollment", enrollment_id=enrollment.pk)
        chosen = form.cleaned_data.get("person")
    else:
        initial = {}
        person_id = request.GET.get("person", "")
        if uuid_or_none(person_id):
            chosen = people.filter(pk=person_id).first()
            if chosen is not None:
                initial["person"] = chosen.pk
        referral_id = request.GET.get("referral", "")
        if uuid_or_none(referral_id):
            initial["referral_id"] = referral_id
            # A person the organization already has a record of is chosen, rather than
            # offered to be added a second time.
            answering = received_referral(request.user, referral_id)
            if chosen is None and answering is not None:
                chosen = services.referred_person_record(answering.referral, people)
                if chosen is not None:
                    initial["person"] = chosen.pk
        form = EnrollmentForm(initial=initial, program=program, people=people)
    # The referral being answered, for the receiver: whom it is about, and a way to
    # add them to the organization's own records first.
    answered = received_referral(request.user, form["referral_id"].value() or "")
    if answered is not None:
        referral_read(request, answered, view="enroll")
    return TemplateResponse(
        request,
        "programs/enrollment_form.html",
        {
            "form": form,
            "program": program,
            "program_slug": program_slug,
            "chosen": chosen,
            "pilot_areas": program == Program.IPV,
            "answered": answered.referral if answered is not None else None,
            "can_add_person": answered is not None
            and has_permission(
                request.user, Permission.EDIT_PEOPLE, answered.referral.receiving_organization_id
            ),
        },
        status=status_of(form),
    )


def _enrollment_page(request, enrollment: Enrollment, status=200, **forms) -> HttpResponse:
    """The enrollment page, for whoever may see it, with the restricted fields only for
    those the predicates allow. Every rendering is one audited read."""
    user = request.user
    audit_request(
        request,
        AuditAction.VIEW,
        enrollment,
        detail={
            "person": str(enrollment.person_id),
            "program": enrollment.program,
            "restricted": restricted_fields_for(user, enrollment),
        },
    )
    can_manage = can_manage_enrollment(user, enrollment)
    active = enrollment.is_active
    context = {
        "enrollment": enrollment,
        "person": enrollment.person,
        "program_slug": SLUG_OF[Program(enrollment.program)],
        "can_manage": can_manage,
        "can_read_legal_notes": can_read_legal_notes(user, enrollment),
        "can_read_session_notes": can_read_session_notes(user, enrollment),
        "can_read_safety_plan": can_read_safety_plan(user, enrollment),
        "can_write_safety_plan": can_write_safety_plan(user, enrollment),
        # A link to the referral only while the consent behind it lets us open it.
        "referral_visible": enrollment.referral_id is not None
        and referrals_received_by(user).filter(pk=enrollment.referral_id).exists(),
    }
    if can_manage and active:
        context["finish_form"] = forms.get("finish_form") or FinishForm(enrollment=enrollment)
    program = enrollment.program
    if program == Program.WORKFORCE:
        context["milestones"] = list(enrollment.milestones.select_related("recorded_by"))
        if can_manage:
            context["milestone_form"] = forms.get("milestone_form") or MilestoneForm(
                enrollment=enrollment
            )
    elif program == Program.LEGAL:
        matters = list(enrollment.matters.all())
        if can_manage:
            failed = forms.get("matter_update_form")
            for matter in matters:
                matter.form = (
                    failed
                    if failed is not None and failed.matter.pk == matter.pk
                    else MatterUpdateForm(matter=matter)
                )
            if active:
                context["matter_form"] = forms.get("matter_form") or MatterForm(
                    enrollment=enrollment
                )
        context["matters"] = matters
    else:
        context["can_read_sessions"] = can_read_sessions(user, enrollment)
        if context["can_read_sessions"]:
            context["sessions"] = list(enrollment.sessions.select_related("staff"))
            context["session_minutes"] = sum(s.minutes for s in context["sessions"])
        else:
            context["attendance"] = enrollment.sessions.aggregate(
                count=Count("pk"), last=Max("held_on")
            )
        if can_manage and active:
            context["session_form"] = forms.get("session_form") or SessionForm(
                enrollment=enrollment, user=user
            )
    if context["can_write_safety_plan"]:
        context["safety_plan_form"] = forms.get("safety_plan_form") or SafetyPlanForm(
            initial={"safety_plan": enrollment.safety_plan}
        )
    return TemplateResponse(request, "programs/enrollment_detail.html", context, status=status)


@require_GET
def enrollment_detail(request: HttpRequest, enrollment_id: UUID) -> HttpResponse:
    enrollment = get_enrollment_for_user(request, enrollment_id, audit_action=None)
    return _enrollment_page(request, enrollment)


def _back(enrollment: Enrollment, anchor: str = ""):
    response = redirect("programs:enrollment", enrollment_id=enrollment.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _save(request, enrollment: Enrollment, form, form_name: str, save, done: str, anchor=""):
    """A form posted on the enrollment page: ``save`` hands the cleaned data to the
    service and the page comes back at ``anchor``; or the page shows the form again with
    every problem, the service's refusals on their fields (400)."""
    if save_posted(request, form, save, done) is not NOT_SAVED:
        return _back(enrollment, anchor)
    return _enrollment_page(request, enrollment, status=400, **{form_name: form})


@require_POST
def enrollment_finish(request: HttpRequest, enrollment_id: UUID) -> HttpResponse:
    enrollment = get_enrollment_to_manage(request, enrollment_id)
    return _save(
        request,
        enrollment,
        FinishForm(request.POST, enrollment=enrollment),
        "finish_form",
        lambda data: services.enrollment_finish(request=request, enrollment=enrollment, **data),
        _("Enrollment updated."),
    )


@require_POST
def milestone_add(request: HttpRequest, enrollment_id: UUID) -> HttpResponse:
    enrollment = get_enrollment_to_manage(request, enrollment_id, Program.WORKFORCE)
    return _save(
        request,
        enrollment,
        MilestoneForm(request.POST, enrollment=enrollment),
        "milestone_form",
        lambda data: services.milestone_add(request=request, enrollment=enrollment, data=data),
        _("Milestone recorded."),
        "milestones",
    )


@require_POST
def matter_add(request: HttpRequest, enrollment_id: UUID) -> HttpResponse:
    enrollment = get_enrollment_to_manage(request, enrollment_id, Program.LEGAL)
    return _save(
        request,
        enrollment,
        MatterForm(request.POST, enrollment=enrollment),
        "matter_form",
        lambda data: services.matter_open(request=request, enrollment=enrollment, data=data),
        _("Matter opened."),
        "matters",
    )


@require_POST
def matter_update(request: HttpRequest, enrollment_id: UUID, matter_id: UUID) -> HttpResponse:
    enrollment = get_enrollment_to_manage(request, enrollment_id, Program.LEGAL)
    matter = get_object_or_404(enrollment.matters, pk=matter_id)
    return _save(
        request,
        enrollment,
        MatterUpdateForm(request.POST, matter=matter),
        "matter_update_form",
        lambda data: services.matter_update(request=request, matter=matter, data=data),
        _("Matter updated."),
        "matters",
    )


@require_POST
def session_add(request: HttpRequest, enrollment_id: UUID) -> HttpResponse:
    enrollment = get_enrollment_to_manage(
        request, enrollment_id, Program.BEHAVIORAL_HEALTH, Program.IPV
    )
    return _save(
        request,
        enrollment,
        SessionForm(request.POST, enrollment=enrollment, user=request.user),
        "session_form",
        lambda data: services.session_add(request=request, enrollment=enrollment, data=data),
        _("Session recorded."),
        "sessions",
    )


@require_POST
def safety_plan(request: HttpRequest, enrollment_id: UUID) -> HttpResponse:
    enrollment = get_enrollment_to_manage(request, enrollment_id, Program.IPV)
    if not can_write_safety_plan(request.user, enrollment):
        raise PermissionDenied
    form = SafetyPlanForm(request.POST)
    if form.is_valid():
        services.safety_plan_update(
            request=request, enrollment=enrollment, text=form.cleaned_data["safety_plan"]
        )
        messages.success(request, _("Safety plan saved."))
        return _back(enrollment, "safety-plan")
    return _enrollment_page(request, enrollment, status=400, safety_plan_form=form)
