import datetime
from datetime import date
from uuid import UUID

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router, Schema
from ninja import Status as Reply

from peacehub.accounts.access import organizations_with
from peacehub.accounts.roles import Permission
from peacehub.api_helpers import Day, ErrorOut, InputSchema, choice, invalid, page_of, role_required
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_listing
from peacehub.forms import NOT_SAVED, save_valid
from peacehub.geo.models import CommunityArea
from peacehub.people import services
from peacehub.people.access import (
    PersonAccess,
    PersonField,
    fields_for_owner,
    get_person_for_user,
)
from peacehub.people.forms import ConsentForm, ConsentRevokeForm, PersonForm
from peacehub.people.models import (
    Consent,
    ConsentKind,
    Gender,
    Language,
    Person,
    ShareScope,
    Status,
)
from peacehub.people.search import people_matching

router = Router(tags=["people"])


class PersonIn(InputSchema):
    """Fields a client may send. Values are validated by the same form as the web page,
    so every message is the one a person sees there, in their language."""

    organization: UUID | None = None
    legal_first_name: str | None = None
    legal_last_name: str | None = None
    preferred_name: str | None = None
    nicknames: str | None = None
    date_of_birth: Day | None = None
    estimated_birth_year: int | None = None
    gender: choice(Gender) | None = None
    preferred_language: choice(Language) | None = None
    phone: str | None = None
    community_area: int | None = None


class PersonCreateIn(PersonIn):
    """A new participant: the names the form requires are required here too (a change,
    PersonIn, sends only what changes)."""

    legal_first_name: str
    legal_last_name: str


class PersonOut(Schema):
    id: UUID
    organization: UUID
    shared: bool
    legal_first_name: str | None = None
    legal_last_name: str | None = None
    preferred_name: str | None = None
    nicknames: str | None = None
    date_of_birth: date | None = None
    estimated_birth_year: int | None = None
    gender: str | None = None
    preferred_language: str | None = None
    phone: str | None = None
    community_area: int | None = None
    status: str | None = None


class PersonPage(Schema):
    count: int
    page: int
    pages: int
    results: list[PersonOut]


def _out(access: PersonAccess) -> dict:
    """Only the fields the permission layer lets this user see."""
    person, can = access.person, access.can_see
    data: dict = {"id": person.pk, "organization": person.organization_id, "shared": access.shared}
    if can(PersonField.NAMES):
        data.update(
            legal_first_name=person.legal_first_name,
            legal_last_name=person.legal_last_name,
            preferred_name=person.preferred_name,
        )
    if can(PersonField.NICKNAMES):
        data["nicknames"] = person.nicknames
    if can(PersonField.BIRTH):
        data.update(
            date_of_birth=person.date_of_birth, estimated_birth_year=person.estimated_birth_year
        )
    if can(PersonField.GENDER):
        data["gender"] = person.gender
    if can(PersonField.LANGUAGE):
        data["preferred_language"] = person.preferred_language
    if can(PersonField.PHONE):
        data["phone"] = person.phone
    if can(PersonField.COMMUNITY_AREA):
        data["community_area"] = person.community_area.number if person.community_area else None
    if can(PersonField.STATUS):
        data["status"] = person.status
    return data


def _form_data(payload: PersonIn, person: Person | None = None) -> dict:
    """What the form sees: the stored values, overlaid with what the client sent."""
    data: dict = {}
    if person is not None:
        data = {
            "legal_first_name": person.legal_first_name,
            "legal_last_name": person.legal_last_name,
            "preferred_name": person.preferred_name,
            "nicknames": person.nicknames,
            "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
            "estimated_birth_year": person.estimated_birth_year or "",
            "gender": person.gender,
            "preferred_language": person.preferred_language,
            "phone": person.phone,
            "community_area": "",
        }
        if person.community_area_id:
            data["community_area"] = person.community_area_id
    sent = payload.dict(exclude_unset=True)
    for field, value in sent.items():
        if field == "community_area":
            area = CommunityArea.objects.filter(number=value).first() if value is not None else None
            # An unknown number becomes an id no area has, so the form rejects it.
            data[field] = area.pk if area else ("" if value is None else -1)
        elif field != "organization":
            data[field] = "" if value is None else value
    for field, default in (("gender", "not_stated"), ("preferred_language", "en")):
        data.setdefault(field, default)
    return data


@router.get(
    "",
    response={200: PersonPage, 400: ErrorOut, 403: ErrorOut},
    auth=role_required(Permission.VIEW_PEOPLE, gettext_lazy("Your role cannot see participants.")),
)
def person_list(request: HttpRequest, q: str = "", status: str = "", page: int = 1):
    """People of the caller's own organizations; q searches names, misspellings too."""
    if status and status not in Status.values:
        return invalid(
            {"status": [_("Choose one of: %(choices)s.") % {"choices": ", ".join(Status.values)}]}
        )
    people = Person.objects.visible_to(request.user).select_related(
        "organization", "community_area"
    )
    if status:
        people = people.filter(status=status)
    q = q.strip()[:100]
    if q:
        shown, numbers = page_of(people_matching(people, q, limit=200), page)
    else:
        people = people.order_by("legal_last_name", "legal_first_name")
        shown, numbers = page_of(people, page, people.count())
    audit_listing(
        request,
        AuditAction.SEARCH if q else AuditAction.LIST,
        shown,
        record_type="people.person",
        via="api",
    )
    results = [_out(PersonAccess(p, fields_for_owner(request.user, p), False)) for p in shown]
    return Reply(200, {**numbers, "results": results})


@router.get("/{id:person_id}", response={200: PersonOut, 403: ErrorOut, 404: ErrorOut})
def person_read(request: HttpRequest, person_id: UUID):
    return Reply(200, _out(get_person_for_user(request, person_id)))


@router.post(
    "",
    response={201: PersonOut, 400: ErrorOut, 403: ErrorOut},
    auth=role_required(Permission.EDIT_PEOPLE, gettext_lazy("Your role cannot add participants.")),
)
def person_create(request: HttpRequest, payload: PersonCreateIn):
    # Not empty: role_required found EDIT_PEOPLE in one of the caller's organizations.
    organizations = organizations_with(request.user, Permission.EDIT_PEOPLE)
    organization = organizations[0]
    if payload.organization is not None:
        matching = [o for o in organizations if o.pk == payload.organization]
        if not matching:
            return invalid(
                {"organization": [_("You cannot add participants to that organization.")]}
            )
        organization = matching[0]
    form = PersonForm(data=_form_data(payload))
    if not form.is_valid():
        return invalid(form.errors)
    person = services.person_create(
        request=request, organization=organization, data=form.person_data()
    )
    access = get_person_for_user(request, person.pk, audit_action=None)
    return Reply(201, _out(access))


@router.patch(
    "/{id:person_id}", response={200: PersonOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut}
)
def person_update(request: HttpRequest, person_id: UUID, payload: PersonIn):
    access = get_person_for_user(request, person_id, Permission.EDIT_PEOPLE, audit_action=None)
    sent = payload.dict(exclude_unset=True)
    if "organization" in sent and sent["organization"] != access.person.organization_id:
        return Reply(
            400,
            {
                "detail": _("The request is not valid."),
                "errors": {
                    "organization": [_("A participant cannot move to another organization.")]
                },
            },
        )
    form = PersonForm(
        data=_form_data(payload, access.person),
        instance=access.person,
        show_nicknames=access.can_see(PersonField.NICKNAMES),
    )
    if not form.is_valid():
        return invalid(form.errors)
    services.person_update(request=request, person=access.person, data=form.person_data())
    return Reply(200, _out(access))


# --- Consents: what a referral needs, recorded and revoked as on the person's page ---


class ConsentIn(InputSchema):
    kind: choice(ConsentKind)
    method: choice(Consent.Method)
    given_on: Day | None = None
    expires_on: Day | None = None
    recipient: UUID | None = None
    scope: list[choice(ShareScope)] = []


class ConsentRevokeIn(InputSchema):
    note: str = ""


class ConsentOut(Schema):
    id: UUID
    kind: str
    recipient: UUID | None
    recipient_name: str | None
    scope: list[str]
    method: str
    given_on: date
    expires_on: date | None
    revoked_at: datetime.datetime | None
    current: bool


def _consent_out(consent: Consent, today: date) -> dict:
    recipient = consent.recipient
    return {
        "id": consent.pk,
        "kind": consent.kind,
        "recipient": recipient.pk if recipient else None,
        "recipient_name": recipient.name if recipient else None,
        "scope": consent.scope,
        "method": consent.method,
        "given_on": consent.given_on,
        "expires_on": consent.expires_on,
        "revoked_at": consent.revoked_at,
        "current": consent.revoked_at is None
        and consent.given_on <= today
        and (consent.expires_on is None or consent.expires_on >= today),
    }


def _own_person(request, person_id: UUID, permission: Permission) -> Person:
    """Consents are the owning organization's: through a share, there are none to see."""
    access = get_person_for_user(request, person_id, permission)
    if access.shared or not access.can_see(PersonField.CONSENTS):
        raise Http404
    return access.person


@router.get(
    "/{id:person_id}/consents", response={200: list[ConsentOut], 403: ErrorOut, 404: ErrorOut}
)
def consent_list(request: HttpRequest, person_id: UUID):
    """Every consent of the person, current or not, newest first; a referral names a
    current sharing consent by its id."""
    person = _own_person(request, person_id, Permission.VIEW_PEOPLE)
    today = timezone.localdate()
    consents = person.consents.select_related("recipient").order_by("-given_on", "-recorded_at")
    return Reply(200, [_consent_out(c, today) for c in consents])


@router.post(
    "/{id:person_id}/consents",
    response={201: ConsentOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def consent_create(request: HttpRequest, person_id: UUID, payload: ConsentIn):
    person = _own_person(request, person_id, Permission.MANAGE_CONSENT)
    sent = payload.dict(exclude_unset=True)
    data = {
        "kind": payload.kind,
        "method": payload.method,
        "given_on": sent.get("given_on") or timezone.localdate().isoformat(),
        "expires_on": payload.expires_on or "",
        "recipient": payload.recipient or "",
        "scope": payload.scope,
    }
    form = ConsentForm(data, person=person)
    # A refusal of the service lands on its field, in the form's words, as on the page.
    consent = save_valid(
        form,
        lambda _data: services.consent_record(
            request=request, person=person, **form.consent_fields()
        ),
    )
    if consent is NOT_SAVED:
        return invalid(form.errors)
    return Reply(201, _consent_out(consent, timezone.localdate()))


@router.post(
    "/{id:person_id}/consents/{id:consent_id}/revoke",
    response={200: ConsentOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def consent_revoke(
    request: HttpRequest, person_id: UUID, consent_id: UUID, payload: ConsentRevokeIn
):
    person = _own_person(request, person_id, Permission.MANAGE_CONSENT)
    consent = get_object_or_404(person.consents.select_related("recipient"), pk=consent_id)
    form = ConsentRevokeForm({"note": payload.note})
    revoked = save_valid(
        form,
        lambda data: services.consent_revoke(request=request, consent=consent, note=data["note"]),
    )
    if revoked is NOT_SAVED:
        return invalid(form.errors)
    return Reply(200, _consent_out(revoked, timezone.localdate()))
