import csv
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peacehub.accounts.access import has_permission, organizations_with, roles_in
from peacehub.accounts.roles import Permission, Role
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_listing, audit_request
from peacehub.cases.summary import cases_summary
from peacehub.forms import NOT_SAVED, save_posted, status_of
from peacehub.geo.models import CommunityArea
from peacehub.http import (
    is_htmx,
    next_on_this_site,
    paginate,
    permission_required,
    uuid_or_none,
)
from peacehub.outreach.summary import outreach_summary
from peacehub.people import services
from peacehub.people.access import PersonField, get_person_for_user
from peacehub.people.eligibility import RULE, Criterion
from peacehub.people.forms import (
    ConsentForm,
    ConsentRevokeForm,
    EligibilityForm,
    PersonForm,
    StatusChangeForm,
)
from peacehub.people.models import ConsentKind, Person, Status
from peacehub.people.search import people_matching
from peacehub.programs.models import PROGRAM_SLUGS
from peacehub.programs.summary import programs_summary
from peacehub.referrals.access import packet_person_fields, received_referral
from peacehub.referrals.services import referral_read

PERSON_RECORD = "people.person"


def _filtered_people(request: HttpRequest):
    people = (
        Person.objects.visible_to(request.user)
        .select_related("community_area", "organization")
        .order_by("legal_last_name", "legal_first_name")
    )
    status = request.GET.get("status", "")
    if status in Status.values:
        people = people.filter(status=status)
    area = request.GET.get("area", "")
    if area.isdigit():
        people = people.filter(community_area__number=int(area))
    query = request.GET.get("q", "").strip()[:100]
    if query:
        return people_matching(people, query, limit=200), query
    return people, query


@require_GET
@permission_required(Permission.VIEW_PEOPLE)
def person_list(request: HttpRequest) -> HttpResponse:
    people, query = _filtered_people(request)
    page = paginate(request, people)
    audit_listing(
        request,
        AuditAction.SEARCH if query else AuditAction.LIST,
        page.object_list,
        record_type=PERSON_RECORD,
    )
    context = {
        "page": page,
        "query": query,
        "statuses": Status.choices,
        "areas": CommunityArea.objects.order_by("name").values_list("number", "name"),
        "selected_status": request.GET.get("status", ""),
        "selected_area": request.GET.get("area", ""),
        "can_create": has_permission(request.user, Permission.EDIT_PEOPLE),
        "can_export": has_permission(request.user, Permission.EXPORT_PEOPLE),
        "show_organization": len(organizations_with(request.user, Permission.VIEW_PEOPLE)) > 1,
    }
    template = "people/person_list.html"
    if is_htmx(request):
        template += "#results"
    return TemplateResponse(request, template, context)


@require_GET
@permission_required(Permission.VIEW_PEOPLE)
def person_autocomplete(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    # ?id= names one person already picked, when a form comes back filled in after the
    # session ran out (accounts/unsent.py) and the picker must show whom it holds.
    picked = uuid_or_none(request.GET.get("id"))
    people = []
    visible = Person.objects.visible_to(request.user).select_related("community_area")
    if picked is not None:
        people = list(visible.filter(pk=picked))
    elif len(query) >= 2:
        people = people_matching(visible, query, limit=10)
    if people or len(query) >= 2:
        audit_listing(request, AuditAction.SEARCH, people, record_type=PERSON_RECORD)
    return TemplateResponse(
        request,
        "people/includes/autocomplete.html",
        {"people": people, "query": query, "picker": request.GET.get("picker") == "1"},
    )


@require_GET
@permission_required(Permission.VIEW_SHARED_PEOPLE)
def shared_person_list(request: HttpRequest) -> HttpResponse:
    people = (
        Person.objects.shared_with(request.user)
        .select_related("organization")
        .order_by("legal_last_name", "legal_first_name")
    )
    page = paginate(request, people)
    audit_listing(
        request, AuditAction.LIST, page.object_list, record_type=PERSON_RECORD, shared=True
    )
    return TemplateResponse(request, "people/shared_list.html", {"page": page})


@permission_required(Permission.EDIT_PEOPLE)
def person_create(request: HttpRequest) -> HttpResponse:
    organizations = organizations_with(request.user, Permission.EDIT_PEOPLE)
    # Someone another organization referred to us: our own record starts from what the
    # referral packet shows, and the program enrollment follows.
    params = request.POST if request.method == "POST" else request.GET
    referral = received_referral(request.user, params.get("referral", ""))
    program_slug = params.get("program", "") if params.get("program", "") in PROGRAM_SLUGS else ""
    if referral is not None:
        organizations = [
            o for o in organizations if o.pk == referral.referral.receiving_organization_id
        ]
        if not organizations:
            raise PermissionDenied
    form = PersonForm(
        request.POST or None,
        organizations=organizations,
        initial=packet_person_fields(referral) if referral is not None else None,
    )
    if referral is not None and request.method == "GET":
        referral_read(request, referral, view="person_create")
    if request.method == "POST" and form.is_valid():
        organization = form.cleaned_data.get("organization") or organizations[0]
        data = form.person_data()
        # An outreach worker who meets someone becomes their outreach worker.
        if Role.OUTREACH_WORKER in roles_in(request.user, organization.pk):
            data["outreach_worker"] = request.user
        person = services.person_create(request=request, organization=organization, data=data)
        messages.success(request, _("%(name)s was added.") % {"name": person.display_name})
        if referral is not None and program_slug:
            return redirect(
                reverse("programs:enroll", args=[program_slug])
                + "?"
                + urlencode({"person": person.pk, "referral": referral.referral.pk})
            )
        return redirect("people:detail", person_id=person.pk)
    return TemplateResponse(
        request,
        "people/person_form.html",
        {
            "form": form,
            "creating": True,
            "referral": referral.referral if referral is not None else None,
            "program_slug": program_slug,
        },
        status=status_of(form),
    )


@require_GET
def person_detail(request: HttpRequest, person_id: UUID) -> HttpResponse:
    return _person_page(request, get_person_for_user(request, person_id))


def _person_page(
    request: HttpRequest,
    access,
    *,
    status_form: StatusChangeForm | None = None,
    revoke_form: ConsentRevokeForm | None = None,
    revoked_consent=None,
) -> HttpResponse:
    """The person's page; after a refused status change or revocation, with that form
    as it was sent and its errors (400), so that nothing typed is lost."""
    person = access.person
    context = {"access": access, "person": person, "fields": access.fields}
    if not access.shared:
        user = request.user
        org = person.organization_id
        context.update(
            {
                "status_history": person.status_changes.select_related("changed_by"),
                "eligibility_checks": person.eligibility_checks.all()
                if access.can_see(PersonField.ELIGIBILITY)
                else None,
                "consents": person.consents.select_related("recipient"),
                "status_form": status_form or StatusChangeForm(person=person),
                "revoke_form": revoke_form,
                "revoked_consent": revoked_consent,
                "revoke_note_limit": ConsentRevokeForm.base_fields["note"].max_length,
                "can_edit": has_permission(user, Permission.EDIT_PEOPLE, org),
                "can_close": has_permission(user, Permission.CLOSE_PARTICIPATION, org),
                "can_record_eligibility": has_permission(user, Permission.RECORD_ELIGIBILITY, org),
                "can_manage_consent": has_permission(user, Permission.MANAGE_CONSENT, org),
                **outreach_summary(request, person),
                **cases_summary(request, person),
                **programs_summary(request, person),
            }
        )
    refused = next((f for f in (status_form, revoke_form) if f is not None and f.errors), None)
    return TemplateResponse(
        request,
        "people/person_detail.html",
        context,
        status=status_of(refused) if refused is not None else 200,
    )


def person_edit(request: HttpRequest, person_id: UUID) -> HttpResponse:
    access = get_person_for_user(
        request, person_id, Permission.EDIT_PEOPLE, audit_action=AuditAction.VIEW
    )
    person = access.person
    form = PersonForm(
        request.POST or None,
        instance=person,
        show_nicknames=access.can_see(PersonField.NICKNAMES),
    )
    if request.method == "POST" and form.is_valid():
        changed = services.person_update(request=request, person=person, data=form.person_data())
        if changed:
            messages.success(request, _("Changes saved."))
        return redirect("people:detail", person_id=person.pk)
    return TemplateResponse(
        request,
        "people/person_form.html",
        {"form": form, "person": person, "creating": False},
        status=status_of(form),
    )


@require_POST
def person_status(request: HttpRequest, person_id: UUID) -> HttpResponse:
    access = get_person_for_user(request, person_id, Permission.EDIT_PEOPLE, audit_action=None)
    person = access.person
    form = StatusChangeForm(request.POST, person=person)

    def change(data):
        if data["to_status"] == Status.CLOSED and not has_permission(
            request.user, Permission.CLOSE_PARTICIPATION, person.organization_id
        ):
            raise ValidationError(
                {"to_status": _("Your role cannot close a participant's record.")}
            )
        return services.person_status_change(
            request=request,
            person=person,
            to_status=data["to_status"],
            reason=data["reason"],
            note=data["note"],
        )

    if save_posted(request, form, change, _("Status changed.")) is not NOT_SAVED:
        return redirect("people:detail", person_id=person.pk)
    # The page again, read as any view of it is, with the form as it was sent.
    audit_request(request, AuditAction.VIEW, person)
    return _person_page(request, access, status_form=form)


def person_eligibility(request: HttpRequest, person_id: UUID) -> HttpResponse:
    access = get_person_for_user(request, person_id, Permission.RECORD_ELIGIBILITY)
    person = access.person
    form = EligibilityForm(request.POST or None, checks=person.eligibility_checks.all())
    if request.method == "POST" and form.is_valid():
        services.eligibility_record(request=request, person=person, answers=form.answers())
        messages.success(request, _("Eligibility checklist saved."))
        return redirect("people:detail", person_id=person.pk)
    return TemplateResponse(
        request,
        "people/eligibility_form.html",
        {"form": form, "person": person, "rule": RULE},
        status=status_of(form),
    )


@require_GET
def person_eligibility_print(request: HttpRequest, person_id: UUID) -> HttpResponse:
    access = get_person_for_user(
        request, person_id, Permission.RECORD_ELIGIBILITY, audit_action=AuditAction.PRINT
    )
    person = access.person
    checks = {check.criterion: check for check in person.eligibility_checks.all()}
    rows = [(criterion, checks.get(criterion.value)) for criterion in Criterion]
    return TemplateResponse(
        request,
        "people/eligibility_print.html",
        {"person": person, "rows": rows, "rule": RULE, "today": timezone.localdate()},
    )


def consent_create(request: HttpRequest, person_id: UUID) -> HttpResponse:
    access = get_person_for_user(request, person_id, Permission.MANAGE_CONSENT)
    person = access.person
    # From the referral form: a consent to share with the chosen service's organization.
    recipient = uuid_or_none(request.GET.get("recipient"))
    initial = {"kind": ConsentKind.SHARE, "recipient": recipient} if recipient else {}
    form = ConsentForm(request.POST or None, person=person, initial=initial)
    back = next_on_this_site(request) or reverse("people:detail", args=[person.pk])
    recorded = save_posted(
        request,
        form,
        lambda data: services.consent_record(
            request=request, person=person, **form.consent_fields()
        ),
        _("Consent recorded."),
    )
    if recorded is not NOT_SAVED:
        # From the referral form, which needs the consent: back to it.
        return redirect(back)
    return TemplateResponse(
        request,
        "people/consent_form.html",
        {"form": form, "person": person, "back": back},
        status=status_of(form),
    )


@require_POST
def consent_revoke(request: HttpRequest, person_id: UUID, consent_id: UUID) -> HttpResponse:
    access = get_person_for_user(request, person_id, Permission.MANAGE_CONSENT, audit_action=None)
    consent = get_object_or_404(access.person.consents, pk=consent_id)
    form = ConsentRevokeForm(request.POST)
    revoked = save_posted(
        request,
        form,
        lambda data: services.consent_revoke(request=request, consent=consent, note=data["note"]),
        _("Consent revoked. It no longer allows any access."),
    )
    if revoked is not NOT_SAVED:
        return redirect("people:detail", person_id=access.person.pk)
    # Too long, or already revoked: the page again, the note as it was typed.
    audit_request(request, AuditAction.VIEW, access.person)
    return _person_page(request, access, revoke_form=form, revoked_consent=consent)


class _Echo:
    def write(self, value):
        return value


@require_GET
@permission_required(Permission.EXPORT_PEOPLE)
def person_export(request: HttpRequest) -> StreamingHttpResponse:
    """CSV of the participants of the organizations where the user may export."""
    organization_ids = [o.pk for o in organizations_with(request.user, Permission.EXPORT_PEOPLE)]
    people = list(
        Person.objects.visible_to(request.user)
        .filter(organization_id__in=organization_ids)
        .select_related("community_area", "organization")
        .order_by("legal_last_name", "legal_first_name")
    )
    audit_listing(request, AuditAction.EXPORT, people, record_type=PERSON_RECORD)
    writer = csv.writer(_Echo())
    header = [
        _("Organization"),
        _("Legal first name"),
        _("Legal last name"),
        _("Preferred name"),
        _("Status"),
        _("Community area"),
        _("Preferred language"),
    ]
    rows = (
        [
            p.organization.name,
            p.legal_first_name,
            p.legal_last_name,
            p.preferred_name,
            p.get_status_display(),
            p.community_area.name if p.community_area else "",
            p.get_preferred_language_display(),
        ]
        for p in people
    )
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in [header, *rows]), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="participants.csv"'
    return response
