"""Every case-management and referral URL that shows or changes one record, for every
role, in the record's own organization and in another one — and the receiving side
of a referral. Expectations are written from the design, not from the role table."""

import datetime

import pytest
from django.urls import reverse

from peacehub.accounts.models import Organization
from peacehub.accounts.roles import Role
from peacehub.accounts.services import api_token_create
from peacehub.accounts.tests.factories import OrganizationFactory, member
from peacehub.cases.models import AssessmentTemplate, Goal, ReentryPlan, ReentryService
from peacehub.cases.tests.factories import CaseFactory
from peacehub.people.models import ConsentKind
from peacehub.people.tests.factories import ConsentFactory, PersonFactory
from peacehub.referrals.tests.factories import ReferralFactory, coalition_service

pytestmark = pytest.mark.django_db
# A goal's target date within the five years a plan looks ahead.
NEXT_YEAR = (datetime.date.today() + datetime.timedelta(days=365)).isoformat()

CASE_TEAM = {Role.CASE_MANAGER, Role.VICTIM_ADVOCATE, Role.SUPERVISOR}
NOTE_WRITERS = {
    Role.OUTREACH_WORKER,
    Role.CASE_MANAGER,
    Role.VICTIM_ADVOCATE,
    Role.SUPERVISOR,
    Role.WORKFORCE_STAFF,
    Role.BEHAVIORAL_HEALTH_CLINICIAN,
    Role.LEGAL_STAFF,
    Role.IPV_STAFF,
}
RECEIVERS = {
    Role.CASE_MANAGER,
    Role.VICTIM_ADVOCATE,
    Role.SUPERVISOR,
    Role.BEHAVIORAL_HEALTH_CLINICIAN,
    Role.WORKFORCE_STAFF,
    Role.LEGAL_STAFF,
    Role.IPV_STAFF,
}


def owned(allowed, success=200):
    def expect(role, same_org):
        if not same_org:
            return 404
        return success if role in allowed else 403

    return expect


def hidden_unless(allowed, success=200):
    """Referrals: whoever may not see one gets 404, as for one that does not exist."""

    def expect(role, same_org):
        return success if same_org and role in allowed else 404

    return expect


@pytest.fixture
def world(org_a):
    provider = OrganizationFactory(name="Commons Legal Aid", kind=Organization.Kind.PROVIDER)
    person = PersonFactory(organization=org_a, legal_first_name="Dashawn", legal_last_name="Ellis")
    case = CaseFactory(person=person, case_manager=member(org_a, Role.CASE_MANAGER))
    goal = Goal.objects.create(
        case=case, domain="housing", description="Own lease", target_date="2099-01-01"
    )
    consent = ConsentFactory(person=person, kind=ConsentKind.SHARE, recipient=provider)
    referral = ReferralFactory(
        person=person, service=coalition_service(provider), consent=consent, case=case
    )
    plan = ReentryPlan.objects.create(
        person=person, organization=org_a, facility="Stateville", expected_release_on="2099-01-01"
    )
    reentry_service = ReentryService.objects.create(
        plan=plan, domain="housing", description="A bed", day_after_release=1
    )
    return {
        "person": person,
        "case": case,
        "goal": goal,
        "referral": referral,
        "provider": provider,
        "reentry_plan": plan,
        "reentry_service": reentry_service,
    }


URLS = {
    "case": ("get", lambda w: reverse("cases:detail", args=[w["case"].pk]), {}, owned(CASE_TEAM)),
    "intake": ("get", lambda w: reverse("cases:intake", args=[w["case"].pk]), {}, owned(CASE_TEAM)),
    "assessment": (
        "get",
        lambda w: reverse("cases:assessment_new", args=[w["case"].pk]),
        {},
        owned(CASE_TEAM),
    ),
    "goal_add": (
        "post",
        lambda w: reverse("cases:goal_add", args=[w["case"].pk]),
        {"domain": "education", "description": "GED", "target_date": NEXT_YEAR},
        owned(CASE_TEAM, 302),
    ),
    "goal_progress": (
        "post",
        lambda w: reverse("cases:goal_progress", args=[w["goal"].pk]),
        {"status": "in_progress"},
        owned(CASE_TEAM, 302),
    ),
    "case_close": (
        "post",
        lambda w: reverse("cases:close", args=[w["case"].pk]),
        {"reason": "Goals met"},
        owned(CASE_TEAM, 302),
    ),
    "case_open": (
        "get",
        lambda w: reverse("cases:open", args=[w["person"].pk]),
        {},
        owned(CASE_TEAM),
    ),
    "notes": (
        "get",
        lambda w: reverse("cases:notes", args=[w["person"].pk]),
        {},
        owned(NOTE_WRITERS),
    ),
    "reentry": (
        "get",
        lambda w: reverse("cases:reentry", args=[w["person"].pk]),
        {},
        owned(CASE_TEAM),
    ),
    "reentry_service_status": (
        "post",
        lambda w: reverse(
            "cases:reentry_service_status",
            args=[w["reentry_plan"].pk, w["reentry_service"].pk],
        ),
        {"status": "arranged"},
        owned(CASE_TEAM, 302),
    ),
    "referral_new": (
        "get",
        lambda w: reverse("referrals:new", args=[w["person"].pk]),
        {},
        owned(CASE_TEAM),
    ),
    "referral_as_sender": (
        "get",
        lambda w: reverse("referrals:detail", args=[w["referral"].pk]),
        {},
        hidden_unless(CASE_TEAM),
    ),
    "referral_close_as_sender": (
        "post",
        lambda w: reverse("referrals:step", args=[w["referral"].pk]),
        {"status": "closed", "note": "Moved away"},
        hidden_unless(CASE_TEAM, 302),
    ),
    "api_case": ("api_get", lambda w: f"/api/v1/cases/{w['case'].pk}", {}, owned(CASE_TEAM)),
    "api_referral": (
        "api_get",
        lambda w: f"/api/v1/referrals/{w['referral'].pk}",
        {},
        hidden_unless(CASE_TEAM),
    ),
}


def _request(client, method, url, data, user):
    if method.startswith("api"):
        _, raw = api_token_create(user=user, name="matrix")
        return client.get(url, headers={"Authorization": f"Bearer {raw}"})
    client.force_login(user)
    return getattr(client, method)(url, data)


@pytest.mark.parametrize("url_name", URLS)
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("same_organization", [True, False], ids=["own-org", "other-org"])
def test_case_url_matrix(client, world, org_a, url_name, role, same_organization):
    organization = org_a if same_organization else OrganizationFactory(name="Elsewhere")
    user = member(organization, role)
    method, build, data, expect = URLS[url_name]
    response = _request(client, method, build(world), data, user)
    assert response.status_code == expect(role, same_organization)
    if response.status_code in (403, 404):
        body = response.content.decode()
        assert "Dashawn" not in body and "Ellis" not in body


RECEIVING = {
    "packet": ("get", lambda w: reverse("referrals:detail", args=[w["referral"].pk]), {}, 200),
    "step": (
        "post",
        lambda w: reverse("referrals:step", args=[w["referral"].pk]),
        {"status": "received"},
        302,
    ),
    "api_packet": ("api_get", lambda w: f"/api/v1/referrals/{w['referral'].pk}", {}, 200),
}


@pytest.mark.parametrize("url_name", RECEIVING)
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("consent_current", [True, False], ids=["consent", "revoked"])
def test_receiving_side_matrix(client, world, url_name, role, consent_current):
    """Members of the receiving organization: the packet for roles that receive
    referrals, while the consent is current; 404 otherwise. Never the case. A step
    posted by a receiving role once the consent ended gets a page saying why nothing was
    saved (403), and nothing of the referral."""
    if not consent_current:
        from django.utils import timezone

        consent = world["referral"].consent
        consent.revoked_at = timezone.now()
        consent.save(update_fields=["revoked_at"])
    user = member(world["provider"], role)
    method, build, data, success = RECEIVING[url_name]
    response = _request(client, method, build(world), data, user)
    allowed = consent_current and role in RECEIVERS
    told_why = url_name == "step" and not consent_current and role in RECEIVERS
    assert response.status_code == (success if allowed else 403 if told_why else 404)
    body = response.content.decode()
    assert str(world["case"].pk) not in body
    if not allowed:
        assert "Dashawn" not in body
    case_page = _request(client, "get", reverse("cases:detail", args=[world["case"].pk]), {}, user)
    assert case_page.status_code == 404


@pytest.mark.parametrize(
    "url, allowed",
    [
        ("/cases/", {Role.CASE_MANAGER, Role.VICTIM_ADVOCATE, Role.SUPERVISOR}),
        ("/cases/supervisor/", {Role.SUPERVISOR}),
        ("/cases/releases/", CASE_TEAM),
        ("/referrals/sent/", CASE_TEAM),
        ("/referrals/received/", RECEIVERS),
    ],
)
@pytest.mark.parametrize("role", list(Role))
def test_case_lists_show_only_own_organization(client, org_a, org_b, url, allowed, role):
    theirs = PersonFactory(organization=org_b, legal_first_name="Tyrell", legal_last_name="Okafor")
    their_cm = member(org_b, Role.CASE_MANAGER)
    CaseFactory(person=theirs, case_manager=their_cm)
    user = member(org_a, role)
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == (200 if role in allowed else 403)
    assert "Tyrell" not in response.content.decode()


def test_assessment_template_is_there():
    assert AssessmentTemplate.objects.filter(is_current=True).count() == 1
