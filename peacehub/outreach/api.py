"""Street outreach in the JSON API: contacts, incidents, responses and mediations,
through the same access rules and the same forms as the pages."""

import datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy
from ninja import Router, Schema
from ninja import Status as Reply

from peacehub.accounts.roles import Permission
from peacehub.api_helpers import (
    Day,
    ErrorOut,
    InputSchema,
    Moment,
    choice,
    form_payload,
    invalid,
    page_of,
    role_required,
)
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_listing, audit_request
from peacehub.forms import NOT_SAVED, save_valid
from peacehub.geo.models import CommunityArea
from peacehub.outreach import services
from peacehub.outreach.access import (
    conflicts_visible_to,
    contacts_visible_to,
    get_conflict_for_user,
    get_contact_for_user,
    get_incident_for_user,
    get_response_for_user,
    incident_people_visible_to,
    incidents_visible_to,
    responses_of,
)
from peacehub.outreach.forms import (
    ConflictCloseForm,
    ConflictForm,
    ContactCorrectionForm,
    ContactForm,
    IncidentForm,
    ResponseActionForm,
    SessionForm,
)
from peacehub.outreach.models import (
    ContactType,
    IncidentKind,
    IncidentSource,
    NonParticipant,
    ResponseActionKind,
    ResponseState,
    Topic,
)
from peacehub.outreach.views.common import acting_organization, workable_people

router = Router(tags=["outreach"])


# What the form always requires is required here too, and the schema says so; what it
# requires only in combination (a person or a non-participant) stays optional, and the
# form says what is missing. A time left out is now (contact_create).
class ContactIn(InputSchema):
    person: UUID | None = None
    non_participant: choice(NonParticipant) | None = None
    contact_type: choice(ContactType)
    occurred_at: Moment | None = None
    community_area: int
    minutes: int | None = None
    topics: list[choice(Topic)] | None = None
    note: str | None = None
    follow_up_by: Day | None = None


# A correction: only what is sent changes. Who the contact was with is not here: the
# wrong person is what undo is for (a "person" sent is refused, as any unknown field).
class ContactCorrectionIn(InputSchema):
    contact_type: choice(ContactType) | None = None
    occurred_at: Moment | None = None
    community_area: int | None = None
    minutes: int | None = None
    topics: list[choice(Topic)] | None = None
    note: str | None = None
    follow_up_by: Day | None = None


class ContactOut(Schema):
    id: UUID
    organization: UUID
    worker: UUID
    person: UUID | None
    non_participant: str
    contact_type: str
    occurred_at: datetime.datetime
    community_area: int
    minutes: int | None
    topics: list[str]
    note: str
    follow_up_by: datetime.date | None


class ContactPage(Schema):
    count: int
    page: int
    pages: int
    results: list[ContactOut]


class IncidentIn(InputSchema):
    kind: choice(IncidentKind)
    occurred_at: Moment
    community_area: int
    block: str | None = None
    source: choice(IncidentSource)
    summary: str | None = None


class ResponseOut(Schema):
    id: UUID
    organization: UUID
    state: str
    notified_at: datetime.datetime
    acknowledged_at: datetime.datetime | None
    on_scene_at: datetime.datetime | None
    follow_up_done_at: datetime.datetime | None
    minutes_to_acknowledge: int | None
    minutes_to_scene: int | None


class LinkOut(Schema):
    person: UUID
    relation: str


class IncidentOut(Schema):
    id: UUID
    kind: str
    occurred_at: datetime.datetime
    community_area: int
    block: str
    source: str
    summary: str
    reported_by_organization: UUID
    closed_at: datetime.datetime | None
    # The caller's own organizations' responses and linked participants only.
    responses: list[ResponseOut] = []
    people: list[LinkOut] = []


class IncidentPage(Schema):
    count: int
    page: int
    pages: int
    results: list[IncidentOut]


class ResponseStepIn(InputSchema):
    state: choice(ResponseState)


class ActionIn(InputSchema):
    kind: choice(ResponseActionKind)
    note: str | None = None


class ActionOut(Schema):
    id: UUID
    kind: str
    note: str
    occurred_at: datetime.datetime


class ConflictIn(InputSchema):
    label: str
    community_area: int
    opened_on: Day | None = None


class PartyOut(Schema):
    person: UUID | None
    group_label: str


class AgreementOut(Schema):
    id: UUID
    kind: str
    made_on: datetime.date
    state: str
    review_on: datetime.date | None


class ConflictOut(Schema):
    id: UUID
    organization: UUID
    label: str
    community_area: int
    opened_on: datetime.date
    closed_on: datetime.date | None
    parties: list[PartyOut] = []
    agreements: list[AgreementOut] = []


class ConflictCloseIn(InputSchema):
    closed_on: Day | None = None


class MediationSessionIn(InputSchema):
    held_on: Day
    note: str | None = None


class MediationSessionOut(Schema):
    id: UUID
    held_on: datetime.date
    note: str


class ConflictPage(Schema):
    count: int
    page: int
    pages: int
    results: list[ConflictOut]


def _area_pk(number):
    area = CommunityArea.objects.filter(number=number).only("pk").first()
    return area.pk if area else -1  # an id no area has: the form refuses it


def _with_area(data: dict) -> dict:
    if data.get("community_area") not in (None, ""):
        data["community_area"] = _area_pk(data["community_area"])
    return data


def _contact_out(contact) -> dict:
    return {
        "id": contact.pk,
        "organization": contact.organization_id,
        "worker": contact.worker_id,
        "person": contact.person_id,
        "non_participant": contact.non_participant,
        "contact_type": contact.contact_type,
        "occurred_at": contact.occurred_at,
        "community_area": contact.community_area.number,
        "minutes": contact.minutes,
        "topics": contact.topics,
        "note": contact.note,
        "follow_up_by": contact.follow_up_by,
    }


@router.get(
    "/contacts",
    response={200: ContactPage, 403: ErrorOut},
    auth=role_required(
        Permission.VIEW_CONTACTS, gettext_lazy("Your role cannot see outreach contacts.")
    ),
)
def contact_list(request: HttpRequest, person: UUID | None = None, page: int = 1):
    contacts = contacts_visible_to(request.user).select_related("community_area")
    if person is not None:
        contacts = contacts.filter(person_id=person)
    contacts = contacts.order_by("-occurred_at")
    shown, numbers = page_of(contacts, page, contacts.count())
    audit_listing(request, AuditAction.LIST, shown, record_type="outreach.contact", via="api")
    return Reply(200, {**numbers, "results": [_contact_out(c) for c in shown]})


@router.post(
    "/contacts",
    response={201: ContactOut, 400: ErrorOut, 403: ErrorOut},
    auth=role_required(Permission.LOG_CONTACTS, gettext_lazy("Your role cannot log contacts.")),
)
def contact_create(request: HttpRequest, payload: ContactIn):
    data = _with_area(form_payload(payload))
    data.setdefault("occurred_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    form = ContactForm(data, people=workable_people(request.user, Permission.LOG_CONTACTS))
    if not form.is_valid():
        return invalid(form.errors)
    person = form.cleaned_data["person"]
    organization = acting_organization(
        request.user, Permission.LOG_CONTACTS, person.organization_id if person else None
    )
    try:
        contact = services.contact_log(
            request=request, organization=organization, data=form.cleaned_data
        )
    except ValidationError as error:
        return invalid({"__all__": error.messages})
    return Reply(201, _contact_out(contact))


@router.post(
    "/contacts/{id:contact_id}/undo",
    response={204: None, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Undo a contact just logged",
    description=(
        "As the page's Undo: the contact is deleted, and the follow-ups its logging "
        "settled are owed again. Only the worker who logged it (anyone else's is not "
        "found), within the undo window; after it, 400 and nothing changes."
    ),
)
def contact_undo(request: HttpRequest, contact_id: UUID):
    contact = get_contact_for_user(request.user, contact_id, Permission.LOG_CONTACTS)
    if contact.worker_id != request.user.pk:
        raise Http404
    try:
        services.contact_undo(request=request, contact=contact)
    except ValidationError as error:
        return invalid({"__all__": error.messages})
    return Reply(204, None)


@router.api_operation(
    ["POST", "PATCH"],
    "/contacts/{id:contact_id}/correct",
    response={200: ContactOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Correct a contact",
    description=(
        "As the page's Correct: the fields sent change, those left out stay, by the "
        "rules of logging a contact; who it was with cannot change (undo it instead). "
        "Only the worker who logged it (anyone else's is not found), within the "
        "correction window; after it, 400 and nothing changes."
    ),
)
def contact_correct(request: HttpRequest, contact_id: UUID, payload: ContactCorrectionIn):
    contact = get_contact_for_user(request.user, contact_id, Permission.LOG_CONTACTS)
    if contact.worker_id != request.user.pk:
        raise Http404
    form = ContactCorrectionForm(
        {
            "contact_type": contact.contact_type,
            # In full, so that a time left out is the time logged, to the microsecond.
            "occurred_at": timezone.localtime(contact.occurred_at).isoformat(),
            "community_area": contact.community_area_id,
            "minutes": "" if contact.minutes is None else contact.minutes,
            "topics": contact.topics,
            "note": contact.note,
            "follow_up_by": contact.follow_up_by.isoformat() if contact.follow_up_by else "",
            **_with_area(form_payload(payload)),
        },
        contact=contact,
    )
    if (
        save_valid(
            form,
            lambda data: services.contact_correct(request=request, contact=contact, data=data),
        )
        is NOT_SAVED
    ):
        return invalid(form.errors)
    contact.refresh_from_db()
    return Reply(200, _contact_out(contact))


def _incident_out(request, incident, detail: bool = False) -> dict:
    data = {
        "id": incident.pk,
        "kind": incident.kind,
        "occurred_at": incident.occurred_at,
        "community_area": incident.community_area.number,
        "block": incident.block,
        "source": incident.source,
        "summary": incident.summary,
        "reported_by_organization": incident.reported_by_organization_id,
        "closed_at": incident.closed_at,
    }
    if detail:
        responses = list(responses_of(request.user, incident, Permission.VIEW_INCIDENTS))
        links = list(incident_people_visible_to(request.user, incident))
        if links:
            audit_listing(
                request,
                AuditAction.LIST,
                [link.person for link in links],
                record_type="people.person",
                incident=str(incident.pk),
            )
        data["responses"] = [_response_out(r) for r in responses]
        data["people"] = [{"person": link.person_id, "relation": link.relation} for link in links]
    return data


def _response_out(response) -> dict:
    return {
        "id": response.pk,
        "organization": response.organization_id,
        "state": response.state,
        "notified_at": response.notified_at,
        "acknowledged_at": response.acknowledged_at,
        "on_scene_at": response.on_scene_at,
        "follow_up_done_at": response.follow_up_done_at,
        "minutes_to_acknowledge": response.minutes_to_acknowledge,
        "minutes_to_scene": response.minutes_to_scene,
    }


@router.get(
    "/incidents",
    response={200: IncidentPage, 403: ErrorOut},
    auth=role_required(Permission.VIEW_INCIDENTS, gettext_lazy("Your role cannot see incidents.")),
)
def incident_list(request: HttpRequest, open: bool = False, page: int = 1):
    incidents = incidents_visible_to(request.user).select_related("community_area")
    if open:
        incidents = incidents.filter(closed_at__isnull=True)
    incidents = incidents.order_by("-occurred_at")
    shown, numbers = page_of(incidents, page, incidents.count())
    return Reply(200, {**numbers, "results": [_incident_out(request, i) for i in shown]})


@router.post(
    "/incidents",
    response={201: IncidentOut, 400: ErrorOut, 403: ErrorOut},
    auth=role_required(
        Permission.REPORT_INCIDENTS, gettext_lazy("Your role cannot report incidents.")
    ),
)
def incident_create(request: HttpRequest, payload: IncidentIn):
    form = IncidentForm(_with_area(form_payload(payload)))
    if not form.is_valid():
        return invalid(form.errors)
    try:
        incident = services.incident_report(
            request=request,
            organization=acting_organization(request.user, Permission.REPORT_INCIDENTS),
            data=form.cleaned_data,
        )
    except ValidationError as error:
        return invalid({"__all__": error.messages})
    return Reply(201, _incident_out(request, incident, detail=True))


@router.get(
    "/incidents/{id:incident_id}", response={200: IncidentOut, 403: ErrorOut, 404: ErrorOut}
)
def incident_read(request: HttpRequest, incident_id: UUID):
    incident = get_incident_for_user(request.user, incident_id)
    return Reply(200, _incident_out(request, incident, detail=True))


@router.post(
    "/responses/{id:response_id}/steps",
    response={200: ResponseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def response_step(request: HttpRequest, response_id: UUID, payload: ResponseStepIn):
    response = get_response_for_user(request.user, response_id)
    try:
        response = services.response_advance(
            request=request, response=response, to_state=payload.state
        )
    except ValidationError as error:
        return invalid({"state": error.messages})
    return Reply(200, _response_out(response))


@router.post(
    "/responses/{id:response_id}/actions",
    response={201: ActionOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def response_action(request: HttpRequest, response_id: UUID, payload: ActionIn):
    response = get_response_for_user(request.user, response_id)
    form = ResponseActionForm(form_payload(payload))
    if not form.is_valid():
        return invalid(form.errors)
    action = services.response_action_add(
        request=request,
        response=response,
        kind=form.cleaned_data["kind"],
        note=form.cleaned_data["note"],
    )
    return Reply(
        201,
        {
            "id": action.pk,
            "kind": action.kind,
            "note": action.note,
            "occurred_at": action.occurred_at,
        },
    )


def _conflict_out(conflict, detail: bool = False) -> dict:
    data = {
        "id": conflict.pk,
        "organization": conflict.organization_id,
        "label": conflict.label,
        "community_area": conflict.community_area.number,
        "opened_on": conflict.opened_on,
        "closed_on": conflict.closed_on,
    }
    if detail:
        data["parties"] = [
            {"person": p.person_id, "group_label": p.group_label} for p in conflict.parties.all()
        ]
        data["agreements"] = [
            {
                "id": a.pk,
                "kind": a.kind,
                "made_on": a.made_on,
                "state": a.state,
                "review_on": a.review_on,
            }
            for a in conflict.agreements.all()
        ]
    return data


@router.get(
    "/mediations",
    response={200: ConflictPage, 403: ErrorOut},
    auth=role_required(Permission.VIEW_CONTACTS, gettext_lazy("Your role cannot see mediations.")),
)
def conflict_list(request: HttpRequest, open: bool = False, page: int = 1):
    conflicts = conflicts_visible_to(request.user).select_related("community_area")
    if open:
        conflicts = conflicts.filter(closed_on__isnull=True)
    conflicts = conflicts.order_by("-opened_on")
    shown, numbers = page_of(conflicts, page, conflicts.count())
    return Reply(200, {**numbers, "results": [_conflict_out(c) for c in shown]})


@router.post(
    "/mediations",
    response={201: ConflictOut, 400: ErrorOut, 403: ErrorOut},
    auth=role_required(
        Permission.MANAGE_MEDIATIONS, gettext_lazy("Your role cannot open mediations.")
    ),
)
def conflict_create(request: HttpRequest, payload: ConflictIn):
    form = ConflictForm(_with_area(form_payload(payload)))
    if not form.is_valid():
        return invalid(form.errors)
    conflict = services.conflict_open(
        request=request,
        organization=acting_organization(request.user, Permission.MANAGE_MEDIATIONS),
        **form.cleaned_data,
    )
    return Reply(201, _conflict_out(conflict, detail=True))


@router.get(
    "/mediations/{id:conflict_id}", response={200: ConflictOut, 403: ErrorOut, 404: ErrorOut}
)
def conflict_read(request: HttpRequest, conflict_id: UUID):
    conflict = get_conflict_for_user(request.user, conflict_id)
    audit_request(request, AuditAction.VIEW, conflict)
    return Reply(200, _conflict_out(conflict, detail=True))


@router.post(
    "/mediations/{id:conflict_id}/close",
    response={200: ConflictOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def conflict_close(request: HttpRequest, conflict_id: UUID, payload: ConflictCloseIn):
    conflict = get_conflict_for_user(request.user, conflict_id, Permission.MANAGE_MEDIATIONS)
    data = form_payload(payload)
    data.setdefault("closed_on", timezone.localdate().isoformat())
    form = ConflictCloseForm(data)
    closed = save_valid(
        form, lambda data: services.conflict_close(request=request, conflict=conflict, **data)
    )
    if closed is NOT_SAVED:
        return invalid(form.errors)
    return Reply(200, _conflict_out(closed, detail=True))


@router.post(
    "/mediations/{id:conflict_id}/reopen",
    response={200: ConflictOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def conflict_reopen(request: HttpRequest, conflict_id: UUID):
    conflict = get_conflict_for_user(request.user, conflict_id, Permission.MANAGE_MEDIATIONS)
    try:
        conflict = services.conflict_reopen(request=request, conflict=conflict)
    except ValidationError as error:
        return invalid({"__all__": error.messages})
    return Reply(200, _conflict_out(conflict, detail=True))


@router.post(
    "/mediations/{id:conflict_id}/sessions",
    response={201: MediationSessionOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def mediation_session_add(request: HttpRequest, conflict_id: UUID, payload: MediationSessionIn):
    conflict = get_conflict_for_user(request.user, conflict_id, Permission.MANAGE_MEDIATIONS)
    form = SessionForm(form_payload(payload))
    session = save_valid(
        form,
        lambda data: services.mediation_session_add(request=request, conflict=conflict, **data),
    )
    if session is NOT_SAVED:
        return invalid(form.errors)
    return Reply(201, {"id": session.pk, "held_on": session.held_on, "note": session.note})
