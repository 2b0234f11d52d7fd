"""Every Peace Academy staff URL, for every role, in the organization running the cohort
and in another one. Expectations are written from the design — trainers of the cohort's
organization manage it; a trainee reads their own record; nobody else sees trainees —
not derived from the code's role table."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse

from peacehub.academy.services import enrollment_completion_update
from peacehub.academy.tests.factories import (
    CohortFactory,
    EnrollmentFactory,
    InterestFactory,
    attend,
    sessions_for,
    signature_outreach,
)
from peacehub.accounts.roles import Role
from peacehub.accounts.tests.factories import OrganizationFactory, member

pytestmark = pytest.mark.django_db

TRAINERS = {Role.TRAINER}
SECRETS = ("Marisol", "Quintero", "555-0199")


def owned(allowed, success=200):
    """The cohort's organization's trainers succeed, others of it get 403, anyone else
    404."""

    def expect(role, same_org):
        if not same_org:
            return 404
        return success if role in allowed else 403

    return expect


def listing(allowed, success=200):
    """No record in the URL: 403 for a role that may not, whatever the organization."""

    def expect(role, same_org):
        return success if role in allowed else 403

    return expect


@pytest.fixture
def world(convener):
    cohort = CohortFactory(course=signature_outreach(), organization=convener, name="Spring")
    enrollment = EnrollmentFactory(
        cohort=cohort, trainee__full_name="Marisol Quintero", trainee__phone="555-0199"
    )
    sessions = sessions_for(cohort, 36)  # 4 hours each: 144 in all
    session = sessions[0]
    attend(enrollment, sessions)
    enrollment_completion_update(enrollment)
    interest = InterestFactory(cohort=cohort, name="Marisol Quintero")
    return {"cohort": cohort, "enrollment": enrollment, "session": session, "interest": interest}


def _sheet(w):
    return {f"present-{w['enrollment'].pk.hex}": "on"}


# name → (method, url(world), data(world), expectation)
URLS = {
    "cohort": (
        "get",
        lambda w: reverse("academy:cohort", args=[w["cohort"].pk]),
        None,
        owned(TRAINERS),
    ),
    "cohort_edit": (
        "get",
        lambda w: reverse("academy:cohort_edit", args=[w["cohort"].pk]),
        None,
        owned(TRAINERS),
    ),
    "session_new": (
        "get",
        lambda w: reverse("academy:session_new", args=[w["cohort"].pk]),
        None,
        owned(TRAINERS),
    ),
    "enroll": (
        "get",
        lambda w: reverse("academy:enroll", args=[w["cohort"].pk]),
        None,
        owned(TRAINERS),
    ),
    "enroll_staff": (
        "post",
        lambda w: reverse("academy:enroll_staff", args=[w["cohort"].pk]),
        lambda w: {"email": "nobody@example.org"},
        owned(TRAINERS, 400),
    ),
    "enroll_outside": (
        "post",
        lambda w: reverse("academy:enroll_outside", args=[w["cohort"].pk]),
        lambda w: {
            "full_name": "New Person",
            "category": "community_member",
            "preferred_language": "en",
        },
        owned(TRAINERS, 302),
    ),
    "roster_export": (
        "get",
        lambda w: reverse("academy:roster_export", args=[w["cohort"].pk]),
        None,
        owned(TRAINERS),
    ),
    "session": (
        "get",
        lambda w: reverse("academy:session", args=[w["session"].pk]),
        None,
        owned(TRAINERS),
    ),
    "session_post": (
        "post",
        lambda w: reverse("academy:session", args=[w["session"].pk]),
        _sheet,
        owned(TRAINERS, 302),
    ),
    "enrollment": (
        "get",
        lambda w: reverse("academy:enrollment", args=[w["enrollment"].pk]),
        None,
        owned(TRAINERS),
    ),
    "certificate": (
        "get",
        lambda w: reverse("academy:certificate", args=[w["enrollment"].pk]),
        None,
        owned(TRAINERS),
    ),
    "enrollment_withdraw": (
        "post",
        lambda w: reverse("academy:enrollment_withdraw", args=[w["enrollment"].pk]),
        None,
        owned(TRAINERS, 302),
    ),
    "enrollment_sign_in": (
        "post",
        lambda w: reverse("academy:enrollment_sign_in", args=[w["enrollment"].pk]),
        None,
        owned(TRAINERS, 302),
    ),
    "interest_handled": (
        "post",
        lambda w: reverse("academy:interest_handled", args=[w["interest"].pk]),
        None,
        owned(TRAINERS, 302),
    ),
    "cohorts": ("get", lambda w: reverse("academy:cohorts"), None, listing(TRAINERS)),
    "cohort_new": ("get", lambda w: reverse("academy:cohort_new"), None, listing(TRAINERS)),
    "courses": ("get", lambda w: reverse("academy:courses"), None, listing(TRAINERS)),
    "course_new": ("get", lambda w: reverse("academy:course_new"), None, listing(TRAINERS)),
    "course_edit": (
        "get",
        lambda w: reverse("academy:course_edit", args=[w["cohort"].course_id]),
        None,
        listing(TRAINERS),
    ),
    "interests": ("get", lambda w: reverse("academy:interests"), None, listing(TRAINERS)),
    "my_training": ("get", lambda w: reverse("academy:my_training"), None, listing(set(Role))),
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("same_organization", [True, False], ids=["own-org", "other-org"])
def test_academy_url_matrix(client, world, convener, role, same_organization):
    """One user per role and organization asks every URL in turn (reads first, writes
    after, withdrawal last): the statuses must be those the design gives."""
    organization = convener if same_organization else OrganizationFactory(name="Elsewhere")
    user = member(organization, role)
    client.force_login(user)
    ordered = sorted(URLS, key=lambda n: (URLS[n][0] == "post", n == "enrollment_withdraw"))
    got, expected, leaks = {}, {}, []
    for url_name in ordered:
        method, build, data, expect = URLS[url_name]
        url = build(world)
        if method == "get":
            response = client.get(url)
        else:
            response = client.post(url, data(world) if data else {})
        got[url_name] = response.status_code
        expected[url_name] = expect(role, same_organization)
        if response.status_code != 200 or url_name in ("cohorts", "my_training", "courses"):
            body = response.content.decode()
            leaks += [f"{url_name}: {secret}" for secret in SECRETS if secret in body]
    assert got == expected
    assert leaks == []


def test_a_view_never_reads_academy_records_without_the_access_layer():
    """Views reach person-level academy models only through access.py: a bare
    Trainee/Enrollment/Attendance/Interest/Cohort/Session.objects in a view fails."""
    guarded = {"Trainee", "Enrollment", "Attendance", "Interest", "Cohort", "Session"}
    root = Path(__file__).resolve().parents[1] / "views"
    offenders = []
    for path in root.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "objects"
                and isinstance(node.value, ast.Name)
                and node.value.id in guarded
            ):
                offenders.append(f"{path.name}:{node.lineno} {node.value.id}.objects")
    assert offenders == []
