"""Every outreach URL and API endpoint that shows or changes one record, for every
role, in the record's own organization and in another one. Expectations are written
from the design, not derived from the code's role table."""

import pytest
from django.urls import reverse
from django.utils import timezone

from peacehub.accounts.roles import Role
from peacehub.accounts.services import api_token_create
from peacehub.accounts.tests.factories import OrganizationFactory, member
from peacehub.outreach.models import (
    Agreement,
    Conflict,
    ConflictParty,
    Contact,
    Incident,
    IncidentPerson,
    MediationSession,
)
from peacehub.outreach.tests.factories import (
    ConflictFactory,
    ContactFactory,
    IncidentFactory,
    IncidentResponseFactory,
    IntroductionFactory,
    area,
)
from peacehub.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

CVI = {Role.OUTREACH_WORKER, Role.CASE_MANAGER, Role.VICTIM_ADVOCATE, Role.SUPERVISOR}
RESPONDERS = {Role.OUTREACH_WORKER, Role.VICTIM_ADVOCATE, Role.SUPERVISOR}
MEDIATORS = {Role.OUTREACH_WORKER, Role.SUPERVISOR}
RECEIVERS = {Role.CASE_MANAGER, Role.SUPERVISOR}
INCIDENT_VIEWERS = CVI | {Role.CONVENER_STAFF}
PERSON_ROLES = CVI | {
    Role.BEHAVIORAL_HEALTH_CLINICIAN,
    Role.WORKFORCE_STAFF,
    Role.LEGAL_STAFF,
    Role.IPV_STAFF,
}


def owned(allowed, success=200):
    """An organization-owned record: allowed roles succeed, others of the organization
    get 403, everyone else 404."""

    def expect(role, same_org):
        if not same_org:
            return 404
        return success if role in allowed else 403

    return expect


def incident_action(allowed, success=302):
    """Only those who see the incident (viewers of a serving organization) learn it
    exists: 403 for a viewer who may not act, 404 for everyone else."""

    def expect(role, same_org):
        if not same_org or role not in INCIDENT_VIEWERS:
            return 404
        return success if role in allowed else 403

    return expect


def person_page(allowed, success=200):
    def expect(role, same_org):
        if not same_org:
            return 404
        return success if role in allowed else 403

    return expect


@pytest.fixture
def world(org_a):
    org_a.community_areas.add(area(68))
    person = PersonFactory(organization=org_a, legal_first_name="Dashawn", legal_last_name="Ellis")
    conflict = ConflictFactory(organization=org_a, label="Conflict Ellis", opened_on="2024-01-01")
    closed_conflict = ConflictFactory(
        organization=org_a,
        label="Conflict Ellis II",
        opened_on="2024-01-01",
        closed_on="2024-06-01",
    )
    agreement = Agreement.objects.create(conflict=conflict, kind="peace", made_on="2024-01-01")
    party = ConflictParty.objects.create(conflict=conflict, group_label="Group A")
    incident = IncidentFactory(reported_by_organization=org_a, community_area=area(68))
    response = IncidentResponseFactory(incident=incident, organization=org_a)
    link = IncidentPerson.objects.create(
        incident=incident, person=person, organization=org_a, relation="victim"
    )
    closed_incident = IncidentFactory(
        reported_by_organization=org_a, community_area=area(68), closed_at=timezone.now()
    )
    return {
        "person": person,
        "conflict": conflict,
        "closed_conflict": closed_conflict,
        "agreement": agreement,
        "party": party,
        "incident": incident,
        "response": response,
        "link": link,
        "closed_incident": closed_incident,
    }


# name → (method, url(world, user), data(world), expectation)
URLS = {
    "contact_done": (
        "post",
        lambda w, u: reverse("outreach:contact_done", args=[w["contact"].pk]),
        {},
        owned(CVI, 302),
    ),
    "contact_reopen": (
        "post",
        lambda w, u: reverse("outreach:contact_reopen", args=[w["done_contact"].pk]),
        {},
        owned(CVI, 302),
    ),
    # A contact just logged, by the user: theirs to undo.
    "contact_undo": (
        "post",
        lambda w, u: reverse("outreach:contact_undo", args=[w["contact"].pk]),
        {},
        owned(CVI, 302),
    ),
    # The user's own contact, logged two hours ago: theirs to correct for a week.
    "contact_correct": (
        "get",
        lambda w, u: reverse("outreach:contact_correct", args=[w["contact"].pk]),
        {},
        owned(CVI),
    ),
    "contact_correct_post": (
        "post",
        lambda w, u: reverse("outreach:contact_correct", args=[w["contact"].pk]),
        {
            "contact_type": "phone",
            "occurred_at": "2024-02-02T10:00",
            "community_area": "AREA",
            "note": "Corrected note",
        },
        owned(CVI, 302),
    ),
    "conflict": (
        "get",
        lambda w, u: reverse("outreach:conflict", args=[w["conflict"].pk]),
        {},
        owned(CVI),
    ),
    "conflict_party_add": (
        "post",
        lambda w, u: reverse("outreach:conflict_party_add", args=[w["conflict"].pk]),
        {"group_label": "Group B"},
        owned(MEDIATORS, 302),
    ),
    "conflict_party_remove": (
        "post",
        lambda w, u: reverse(
            "outreach:conflict_party_remove", args=[w["conflict"].pk, w["party"].pk]
        ),
        {},
        owned(MEDIATORS, 302),
    ),
    "mediation_session_add": (
        "post",
        lambda w, u: reverse("outreach:mediation_session_add", args=[w["conflict"].pk]),
        {"held_on": "2024-02-02"},
        owned(MEDIATORS, 302),
    ),
    "agreement_add": (
        "post",
        lambda w, u: reverse("outreach:agreement_add", args=[w["conflict"].pk]),
        {"kind": "peace", "made_on": "2024-02-02"},
        owned(MEDIATORS, 302),
    ),
    "agreement_state": (
        "post",
        lambda w, u: reverse(
            "outreach:agreement_state", args=[w["conflict"].pk, w["agreement"].pk]
        ),
        {"state": "strained", "changed_on": "2024-02-02"},
        owned(MEDIATORS, 302),
    ),
    "conflict_close": (
        "post",
        lambda w, u: reverse("outreach:conflict_close", args=[w["conflict"].pk]),
        {"closed_on": "2024-03-01"},
        owned(MEDIATORS, 302),
    ),
    "conflict_reopen": (
        "post",
        lambda w, u: reverse("outreach:conflict_reopen", args=[w["closed_conflict"].pk]),
        {},
        owned(MEDIATORS, 302),
    ),
    "introduction_new": (
        "get",
        lambda w, u: reverse("outreach:introduction_new", args=[w["person"].pk]),
        {},
        person_page(RESPONDERS),
    ),
    "introduction_accept": (
        "post",
        lambda w, u: reverse("outreach:introduction_accept", args=[w["introduction"].pk]),
        {},
        owned(RECEIVERS, 302),
    ),
    "introduction_return": (
        "post",
        lambda w, u: reverse("outreach:introduction_return", args=[w["introduction"].pk]),
        {"reason": "Not now"},
        owned(RECEIVERS, 302),
    ),
    "incident": (
        "get",
        lambda w, u: reverse("outreach:incident", args=[w["incident"].pk]),
        {},
        incident_action(INCIDENT_VIEWERS, 200),
    ),
    "incident_link_person": (
        "post",
        lambda w, u: reverse("outreach:incident_link_person", args=[w["incident"].pk]),
        {"relation": "victim", "person": "PERSON"},
        incident_action(RESPONDERS),
    ),
    "incident_close": (
        "post",
        lambda w, u: reverse("outreach:incident_close", args=[w["incident"].pk]),
        {},
        incident_action(RESPONDERS),
    ),
    "incident_reopen": (
        "post",
        lambda w, u: reverse("outreach:incident_reopen", args=[w["closed_incident"].pk]),
        {},
        incident_action(RESPONDERS),
    ),
    "incident_unlink_person": (
        "post",
        lambda w, u: reverse(
            "outreach:incident_unlink_person", args=[w["incident"].pk, w["link"].pk]
        ),
        {},
        incident_action(RESPONDERS),
    ),
    "response_step": (
        "post",
        lambda w, u: reverse("outreach:response_step", args=[w["response"].pk]),
        {"state": "acknowledged"},
        incident_action(RESPONDERS),
    ),
    "response_action": (
        "post",
        lambda w, u: reverse("outreach:response_action", args=[w["response"].pk]),
        {"kind": "rumor_control"},
        incident_action(RESPONDERS),
    ),
    "api_incident": (
        "api_get",
        lambda w, u: f"/api/v1/incidents/{w['incident'].pk}",
        {},
        incident_action(INCIDENT_VIEWERS, 200),
    ),
    "api_response_step": (
        "api_post",
        lambda w, u: f"/api/v1/responses/{w['response'].pk}/steps",
        {"state": "acknowledged"},
        incident_action(RESPONDERS, 200),
    ),
    "api_response_action": (
        "api_post",
        lambda w, u: f"/api/v1/responses/{w['response'].pk}/actions",
        {"kind": "rumor_control"},
        incident_action(RESPONDERS, 201),
    ),
    # The user's own contact, just logged: theirs to undo, as on the page.
    "api_contact_undo": (
        "api_post",
        lambda w, u: f"/api/v1/contacts/{w['contact'].pk}/undo",
        {},
        owned(CVI, 204),
    ),
    "api_contact_correct": (
        "api_post",
        lambda w, u: f"/api/v1/contacts/{w['contact'].pk}/correct",
        {"note": "Corrected note", "minutes": 15},
        owned(CVI, 200),
    ),
    "api_mediation": (
        "api_get",
        lambda w, u: f"/api/v1/mediations/{w['conflict'].pk}",
        {},
        owned(CVI),
    ),
    "api_mediation_close": (
        "api_post",
        lambda w, u: f"/api/v1/mediations/{w['conflict'].pk}/close",
        {"closed_on": "2024-03-01"},
        owned(MEDIATORS),
    ),
    "api_mediation_reopen": (
        "api_post",
        lambda w, u: f"/api/v1/mediations/{w['closed_conflict'].pk}/reopen",
        {},
        owned(MEDIATORS),
    ),
    "api_mediation_session": (
        "api_post",
        lambda w, u: f"/api/v1/mediations/{w['conflict'].pk}/sessions",
        {"held_on": "2024-02-02"},
        owned(MEDIATORS, 201),
    ),
}


def mediations_now():
    """What a refused request must leave as it was: every mediation's closing date,
    its parties, sessions and agreements' states."""
    return (
        sorted(Conflict.objects.values_list("label", "closed_on")),
        ConflictParty.objects.count(),
        MediationSession.objects.count(),
        sorted(Agreement.objects.values_list("kind", "state")),
    )


def corrections_now():
    """What a refused correction must leave as it was: the links of people to
    incidents, which incidents are closed, which follow-ups are done, which contacts
    exist (an undo), and what each contact says (a correction)."""
    return (
        sorted(IncidentPerson.objects.values_list("pk", flat=True)),
        sorted(Incident.objects.filter(closed_at__isnull=False).values_list("pk", flat=True)),
        sorted(
            Contact.objects.filter(follow_up_done_at__isnull=False).values_list("pk", flat=True)
        ),
        sorted(Contact.objects.values_list("pk", "contact_type", "occurred_at", "minutes", "note")),
    )


@pytest.mark.parametrize("url_name", URLS)
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("same_organization", [True, False], ids=["own-org", "other-org"])
def test_outreach_url_matrix(client, world, org_a, url_name, role, same_organization):
    organization = org_a if same_organization else OrganizationFactory(name="Elsewhere")
    if not same_organization:
        organization.community_areas.add(area(25))  # serves another area
    user = member(organization, role)
    world["contact"] = ContactFactory(person=world["person"], worker=user)
    world["introduction"] = IntroductionFactory(person=world["person"], case_manager=user)
    world["done_contact"] = ContactFactory(
        person=world["person"],
        worker=user,
        follow_up_by=timezone.localdate(),
        follow_up_done_at=timezone.now(),
    )
    method, build, data, expect = URLS[url_name]
    placeholders = {"PERSON": world["person"].pk, "AREA": area(68).pk}
    data = {k: placeholders.get(v, v) if isinstance(v, str) else v for k, v in data.items()}
    url = build(world, user)
    before = mediations_now()
    corrections_before = corrections_now()

    if method.startswith("api"):
        _, raw = api_token_create(user=user, name="matrix")
        headers = {"Authorization": f"Bearer {raw}"}
        if method == "api_get":
            response = client.get(url, headers=headers)
        else:
            response = client.post(url, data=data, content_type="application/json", headers=headers)
    else:
        client.force_login(user)
        response = getattr(client, method)(url, data)

    assert response.status_code == expect(role, same_organization)
    if response.status_code in (403, 404):
        body = response.content.decode()
        assert "Dashawn" not in body and "Ellis" not in body
        assert mediations_now() == before
        assert corrections_now() == corrections_before


@pytest.mark.parametrize(
    "url, allowed",
    [
        ("/outreach/", CVI),
        ("/outreach/contacts/", CVI),
        ("/outreach/contacts/new/", CVI),
        ("/outreach/mediations/", CVI),
        ("/outreach/introductions/", CVI),
        ("/outreach/incidents/", INCIDENT_VIEWERS),
        ("/outreach/incidents/new/", RESPONDERS),
        ("/outreach/mediations/new/", MEDIATORS),
        ("/outreach/supervisor/", {Role.SUPERVISOR}),
        ("/outreach/duty/", RESPONDERS),
    ],
)
@pytest.mark.parametrize("role", list(Role))
def test_outreach_lists_show_only_own_organization(client, org_a, org_b, url, allowed, role):
    """Whatever the role, another organization's participants, contacts, notes and
    mediations never show in a list, a count or a form."""
    org_a.community_areas.add(area(68))
    theirs = PersonFactory(organization=org_b, legal_first_name="Tyrell", legal_last_name="Okafor")
    other_worker = member(org_b, Role.OUTREACH_WORKER, full_name="Zora Otherorg")
    ContactFactory(person=theirs, worker=other_worker, note="their secret note")
    ConflictFactory(organization=org_b, label="Their conflict")
    IntroductionFactory(person=theirs, case_manager=other_worker, summary="their summary")
    user = member(org_a, role)
    client.force_login(user)

    response = client.get(url)

    expected = 200 if role in allowed else 403
    assert response.status_code == expected
    body = response.content.decode()
    for secret in ("Tyrell", "Okafor", "their secret note", "Their conflict", "their summary"):
        assert secret not in body


@pytest.mark.parametrize(
    "path, allowed",
    [
        ("/api/v1/contacts", CVI),
        ("/api/v1/incidents", INCIDENT_VIEWERS),
        ("/api/v1/mediations", CVI),
    ],
)
@pytest.mark.parametrize("role", list(Role))
def test_outreach_api_lists_show_only_own_organization(client, org_a, org_b, path, allowed, role):
    theirs = PersonFactory(organization=org_b)
    other_worker = member(org_b, Role.OUTREACH_WORKER)
    contact = ContactFactory(person=theirs, worker=other_worker, note="their secret note")
    conflict = ConflictFactory(organization=org_b, label="Their conflict")
    user = member(org_a, role)
    _, raw = api_token_create(user=user, name="x")

    response = client.get(path, headers={"Authorization": f"Bearer {raw}"})

    assert response.status_code == (200 if role in allowed else 403)
    body = response.content.decode()
    for secret in (str(contact.pk), str(theirs.pk), "their secret note", str(conflict.pk)):
        assert secret not in body
