"""Every programs URL and API endpoint, for every role, in the record's own organization
and in another one. Expectations are written from the design's rules, not derived
from the code's role table:

- each program's own staff manage its enrollments: workforce staff the workforce
  program, legal staff legal aid, clinicians behavioral health, IPV staff the IPV
  program;
- case managers, victim advocates, supervisors and every program's staff follow
  progress: they see enrollments, but never legal notes (legal staff only), behavioral
  health sessions and notes (clinicians only) or the IPV safety plan, sessions and
  notes (IPV staff only);
- anyone else of the organization gets 403; another organization 404, and never a
  record of theirs in a list or a count.

Each (role, organization) pair runs every request against one world, each request in
a savepoint rolled back afterwards, so that one POST cannot change what the next sees.
"""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from peacehub.accounts.roles import Role
from peacehub.accounts.services import api_token_create
from peacehub.accounts.tests.factories import OrganizationFactory, member
from peacehub.people.tests.factories import PersonFactory
from peacehub.programs.models import Enrollment, Program
from peacehub.programs.tests.factories import (
    EnrollmentFactory,
    MatterFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

WORKFORCE = {Role.WORKFORCE_STAFF}
LEGAL = {Role.LEGAL_STAFF}
CLINICIANS = {Role.BEHAVIORAL_HEALTH_CLINICIAN}
IPV = {Role.IPV_STAFF}
PROGRAM_STAFF = WORKFORCE | LEGAL | CLINICIANS | IPV
PROGRESS = PROGRAM_STAFF | {Role.CASE_MANAGER, Role.VICTIM_ADVOCATE, Role.SUPERVISOR}

# Text only the named roles may ever read.
SECRETS = {
    "legal note: landlord retaliation": LEGAL,
    "outcome: eviction dismissed": LEGAL,
    "clinician note: sleep and grief": CLINICIANS,
    "ipv note: took accountability": IPV,
    "safety plan: no-contact order": IPV,
    # Who held the sessions is part of the sessions: the program's staff only.
    "Clara Clinician": CLINICIANS,
    "Ivan Facilitator": IPV,
}


def owned(allowed, success=200):
    def expect(role, same_org):
        if not same_org:
            return 404
        return success if role in allowed else 403

    return expect


@pytest.fixture
def world(org_a):
    today = timezone.localdate().isoformat()
    person = PersonFactory(organization=org_a, legal_first_name="Dashawn", legal_last_name="Ellis")
    clinician = member(org_a, Role.BEHAVIORAL_HEALTH_CLINICIAN, full_name="Clara Clinician")
    facilitator = member(org_a, Role.IPV_STAFF, full_name="Ivan Facilitator")
    workforce = EnrollmentFactory(person=person, program=Program.WORKFORCE)
    legal = EnrollmentFactory(person=person, program=Program.LEGAL)
    matter = MatterFactory(
        enrollment=legal,
        status="closed",
        closed_on=timezone.localdate(),
        outcome="resolved_favorably",
        outcome_note="outcome: eviction dismissed",
        notes="legal note: landlord retaliation",
    )
    open_matter = MatterFactory(enrollment=legal)
    bh = EnrollmentFactory(person=person, program=Program.BEHAVIORAL_HEALTH)
    SessionFactory(enrollment=bh, staff=clinician, note="clinician note: sleep and grief")
    ipv = EnrollmentFactory(
        person=person, program=Program.IPV, safety_plan="safety plan: no-contact order"
    )
    SessionFactory(
        enrollment=ipv, staff=facilitator, format="group", note="ipv note: took accountability"
    )
    return {
        "today": today,
        "person": person,
        "workforce": workforce,
        "legal": legal,
        "matter": matter,
        "open_matter": open_matter,
        "bh": bh,
        "ipv": ipv,
        "clinician": clinician,
        "facilitator": facilitator,
    }


def page(name, key):
    return lambda w: reverse(f"programs:{name}", args=[w[key].pk])


# name → (method, url(world), data(world), expectation)
REQUESTS = {
    **{
        f"enrollment_{key}": ("get", page("enrollment", key), None, owned(PROGRESS))
        for key in ("workforce", "legal", "bh", "ipv")
    },
    "enrollment_finish": (
        "post",
        page("enrollment_finish", "workforce"),
        lambda w: {"status": "completed", "ended_on": w["today"]},
        owned(WORKFORCE, 302),
    ),
    "enrollment_finish_ipv": (
        "post",
        page("enrollment_finish", "ipv"),
        lambda w: {"status": "exited", "ended_on": w["today"], "exit_reason": "declined"},
        owned(IPV, 302),
    ),
    "milestone_add": (
        "post",
        page("milestone_add", "workforce"),
        lambda w: {"kind": "ged", "achieved_on": w["today"]},
        owned(WORKFORCE, 302),
    ),
    "matter_add": (
        "post",
        page("matter_add", "legal"),
        lambda w: {"matter_type": "immigration", "opened_on": w["today"]},
        owned(LEGAL, 302),
    ),
    "matter_update": (
        "post",
        lambda w: reverse("programs:matter_update", args=[w["legal"].pk, w["open_matter"].pk]),
        lambda w: {f"matter-{w['open_matter'].pk}-status": "in_progress"},
        owned(LEGAL, 302),
    ),
    "session_add_bh": (
        "post",
        page("session_add", "bh"),
        lambda w: {
            "held_on": w["today"],
            "format": "family",
            "language": "es",
            "minutes": "50",
            "staff": w["clinician"].pk,
        },
        owned(CLINICIANS, 302),
    ),
    "session_add_ipv": (
        "post",
        page("session_add", "ipv"),
        lambda w: {
            "held_on": w["today"],
            "format": "group",
            "language": "en",
            "minutes": "90",
            "staff": w["facilitator"].pk,
        },
        owned(IPV, 302),
    ),
    "safety_plan": (
        "post",
        page("safety_plan", "ipv"),
        lambda w: {"safety_plan": "Leaves the house when angry; calls the group line."},
        owned(IPV, 302),
    ),
    **{
        f"api_enrollment_{key}": (
            "api_get",
            lambda w, key=key: f"/api/v1/programs/enrollments/{w[key].pk}",
            None,
            owned(PROGRESS),
        )
        for key in ("legal", "bh", "ipv")
    },
    "api_milestone": (
        "api_post",
        lambda w: f"/api/v1/programs/enrollments/{w['workforce'].pk}/milestones",
        lambda w: {"kind": "hope", "achieved_on": w["today"]},
        owned(WORKFORCE, 201),
    ),
}


def _send(client, method, url, data, headers):
    if method == "get":
        return client.get(url)
    if method == "post":
        return client.post(url, data)
    if method == "api_get":
        return client.get(url, headers=headers)
    return client.post(url, data=data, content_type="application/json", headers=headers)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("same_organization", [True, False], ids=["own-org", "other-org"])
def test_programs_record_matrix(client, world, org_a, role, same_organization):
    organization = org_a if same_organization else OrganizationFactory(name="Elsewhere")
    user = member(organization, role)
    client.force_login(user)
    _, raw = api_token_create(user=user, name="matrix")
    headers = {"Authorization": f"Bearer {raw}"}

    wrong = []
    for name, (method, build, data, expect) in REQUESTS.items():
        savepoint = transaction.savepoint()
        try:
            response = _send(client, method, build(world), data(world) if data else None, headers)
        finally:
            transaction.savepoint_rollback(savepoint)
        expected = expect(role, same_organization)
        if response.status_code != expected:
            wrong.append(f"{name}: {response.status_code}, expected {expected}")
            continue
        body = response.content.decode()
        if response.status_code in (403, 404) and ("Dashawn" in body or "Ellis" in body):
            wrong.append(f"{name}: a refusal names the participant")
        for secret, readers in SECRETS.items():
            if secret in body and role not in readers:
                wrong.append(f"{name}: shows {secret!r}")
    assert wrong == []


@pytest.mark.parametrize("role", list(Role))
def test_restricted_fields_show_only_to_their_readers(client, world, org_a, role):
    """The other half of the matrix: those allowed do see their restricted text, on the
    page and in the API."""
    user = member(org_a, role)
    client.force_login(user)
    _, raw = api_token_create(user=user, name="matrix")
    headers = {"Authorization": f"Bearer {raw}"}
    bodies = ""
    for key in ("legal", "bh", "ipv"):
        bodies += client.get(reverse("programs:enrollment", args=[world[key].pk])).content.decode()
        bodies += client.get(
            f"/api/v1/programs/enrollments/{world[key].pk}", headers=headers
        ).content.decode()
    shown = {secret for secret in SECRETS if secret in bodies}
    assert shown == {secret for secret, readers in SECRETS.items() if role in readers}


LIST_PAGES = {
    "/programs/workforce/": WORKFORCE,
    "/programs/legal/": LEGAL,
    "/programs/behavioral-health/": CLINICIANS,
    "/programs/ipv/": IPV,
    "/programs/workforce/enroll/": WORKFORCE,
    "/programs/legal/enroll/": LEGAL,
    "/programs/behavioral-health/enroll/": CLINICIANS,
    "/programs/ipv/enroll/": IPV,
}


@pytest.mark.parametrize("role", list(Role))
def test_lists_show_only_own_organization(client, org_a, org_b, role):
    """Whatever the role, another organization's enrollments, people and notes never
    show in a list, a count, a form or the API."""
    theirs = PersonFactory(organization=org_b, legal_first_name="Tyrell", legal_last_name="Okafor")
    for program in Program:
        EnrollmentFactory(person=theirs, program=program)
    their_bh = EnrollmentFactory(
        person=PersonFactory(organization=org_b, legal_first_name="Zora", legal_last_name="Quill"),
        program=Program.BEHAVIORAL_HEALTH,
    )
    SessionFactory(enrollment=their_bh, note="their clinician note")
    ours = PersonFactory(organization=org_a, legal_first_name="Marcus", legal_last_name="Bell")
    EnrollmentFactory(person=ours, program=Program.WORKFORCE)
    user = member(org_a, role)
    client.force_login(user)
    _, raw = api_token_create(user=user, name="x")
    headers = {"Authorization": f"Bearer {raw}"}

    wrong = []
    home = client.get("/programs/")
    if home.status_code != (302 if role in PROGRAM_STAFF else 403):
        wrong.append(f"/programs/: {home.status_code}")
    for url, allowed in LIST_PAGES.items():
        response = client.get(url)
        if response.status_code != (200 if role in allowed else 403):
            wrong.append(f"{url}: {response.status_code}")
        body = response.content.decode()
        if any(s in body for s in ("Tyrell", "Okafor", "Zora", "their clinician note")):
            wrong.append(f"{url}: shows another organization's participant")
    visible = set(Enrollment.objects.visible_to(user).values_list("person_id", flat=True))
    if visible != ({ours.pk} if role in PROGRESS else set()):
        wrong.append(f"Enrollment.objects.visible_to: {len(visible)} people")
    api_list = client.get("/api/v1/programs/enrollments", headers=headers)
    if api_list.status_code != (200 if role in PROGRESS else 403):
        wrong.append(f"api list: {api_list.status_code}")
    elif role in PROGRESS:
        results = api_list.json()["results"]
        if api_list.json()["count"] != 1 or [r["person"] for r in results] != [str(ours.pk)]:
            wrong.append("api list: not exactly our one enrollment")
    created = client.post(
        "/api/v1/programs/enrollments",
        data={"person": str(ours.pk), "program": "legal"},
        content_type="application/json",
        headers=headers,
    )
    if created.status_code != (201 if role in LEGAL else 403):
        wrong.append(f"api create: {created.status_code}")
    assert wrong == []
