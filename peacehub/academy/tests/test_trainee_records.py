"""A trainee's own record, and the firewall around an outside trainee's sign-in: a User
with no membership that opens their own training record and nothing else."""

from decimal import Decimal

import pytest
from django.urls import reverse

from peacehub.academy.models import Enrollment
from peacehub.academy.services import enrollment_completion_update
from peacehub.academy.tests.factories import (
    EnrollmentFactory,
    SessionFactory,
    TraineeFactory,
    attend,
    sessions_for,
)
from peacehub.accounts.models import Membership
from peacehub.accounts.services import api_token_create
from peacehub.audit.models import AuditEvent
from peacehub.outreach.tests.factories import ConflictFactory, ContactFactory
from tests.test_security_policies import ALL_URLS, PUBLIC_URL_NAMES, _denied

pytestmark = pytest.mark.django_db

# Pages any signed-in account has, about itself only: its home page, its account, its
# alerts, signing out (of the site or of the operators' admin, which it never entered),
# and its own training record.
SELF_SERVICE = {
    "site:dashboard",
    "accounts:profile",
    "accounts:token_create",
    "accounts:logout",
    "notifications:feed",
    "notifications:mark_read",
    "admin:logout",
    "academy:my_training",
}


def _completed(enrollment, cohort):
    sessions = sessions_for(cohort, 6, hours=Decimal(4))
    attend(enrollment, sessions)
    return enrollment_completion_update(enrollment)


def test_an_officer_sees_his_own_record_and_certificate(client, officer, classmate, police_cohort):
    enrollment = Enrollment.objects.get(trainee__user=officer)
    _completed(enrollment, police_cohort)
    attend(classmate, list(police_cohort.sessions.all()))
    client.force_login(officer)

    for url in [
        reverse("academy:my_training"),
        reverse("academy:enrollment", args=[enrollment.pk]),
        reverse("academy:certificate", args=[enrollment.pk]),
    ]:
        response = client.get(url)
        content = response.content.decode()
        assert response.status_code == 200, url
        assert "Daniel Reyes" in content or url == reverse("academy:my_training")
        assert "Marisol" not in content and "Quintero" not in content, url
    record = client.get(reverse("academy:enrollment", args=[enrollment.pk])).content.decode()
    assert "24 of 24 hours" in record
    assert "District 7" not in record  # the trainer's details panel is not his
    assert AuditEvent.objects.filter(
        action="view", record_id=str(enrollment.pk), actor_id=str(officer.pk)
    ).exists()


def test_an_officer_never_sees_another_trainee(client, officer, classmate, police_cohort):
    _completed(classmate, police_cohort)
    client.force_login(officer)
    for url in [
        reverse("academy:enrollment", args=[classmate.pk]),
        reverse("academy:certificate", args=[classmate.pk]),
        reverse("academy:cohort", args=[police_cohort.pk]),
        reverse("academy:roster_export", args=[police_cohort.pk]),
        reverse("academy:session", args=[police_cohort.sessions.first().pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Quintero" not in response.content
    for url in [reverse("academy:cohorts"), reverse("academy:interests")]:
        assert client.get(url).status_code == 403


def test_an_officer_reaches_no_participant_or_outreach_record(
    client, officer, alice, person_a, org_a
):
    contact = ContactFactory(person=person_a, worker=alice)
    conflict = ConflictFactory(organization=org_a)
    client.force_login(officer)
    for url in [
        reverse("people:detail", args=[person_a.pk]),
        reverse("outreach:conflict", args=[conflict.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    for url in [reverse("people:list"), reverse("outreach:contacts"), reverse("audit:list")]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"Jamal" not in response.content
    assert client.post(reverse("outreach:contact_done", args=[contact.pk])).status_code == 404
    admin = client.get(reverse("admin:index"))
    assert admin.status_code == 302 and admin["Location"].startswith(reverse("admin:login"))
    assert not Membership.objects.filter(user=officer).exists()


def test_an_outside_trainees_sign_in_opens_nothing_else(client, officer):
    """Every page of PeaceHub, asked by an outside trainee: refused unless public, about
    the account itself, or the trainee's own record. (One test walking every URL, as the
    anonymous walk of test_security_policies does, but signed in.)"""
    client.force_login(officer)
    answered = {}
    for name, path, _ in ALL_URLS:
        if name.startswith("api:") or name in PUBLIC_URL_NAMES or name in SELF_SERVICE:
            continue
        url = "/" + path
        reachable = [r.status_code for r in (client.get(url), client.post(url)) if not _denied(r)]
        if reachable:
            answered[f"{name} {url}"] = reachable
    assert answered == {}
    # Still signed in: every refusal above was a refusal, not a signed-out redirect.
    assert client.get(reverse("academy:my_training")).status_code == 200


def test_an_outside_trainees_self_service_pages_show_nothing_of_anyone(
    client, officer, classmate, alice, person_a
):
    client.force_login(officer)
    for name in SELF_SERVICE - {
        "accounts:logout",
        "accounts:token_create",
        "notifications:mark_read",
        "admin:logout",
    }:
        # The dashboard sends an outside trainee to their own training record.
        response = client.get(reverse(name), follow=True)
        assert response.status_code == 200, name
        if name == "site:dashboard":
            assert response.redirect_chain[-1][0] == reverse("academy:my_training")
        content = response.content.decode()
        for secret in ("Quintero", "Jamal", "Washington", "Alice Outreach"):
            assert secret not in content, (name, secret)


def test_an_outside_trainee_gets_nothing_from_the_api(client, officer, person_a, alice):
    _, raw = api_token_create(user=officer, name="curious")
    headers = {"Authorization": f"Bearer {raw}"}
    api_paths = [path for name, path, _ in ALL_URLS if name.startswith("api:")]
    assert api_paths
    for path in api_paths:
        if path.endswith("openapi.json"):
            continue
        response = client.get("/" + path, headers=headers)
        assert response.status_code in (401, 403, 404, 405), (path, response.status_code)
        assert b"Jamal" not in response.content
        # django-ninja checks a body against its schema before the view runs, so an
        # empty one may get 400 before the permission check's 403: never a success.
        response = client.post(
            "/" + path, data={}, content_type="application/json", headers=headers
        )
        assert response.status_code in (400, 401, 403, 404, 405), (path, response.status_code)
        assert b"Jamal" not in response.content
    assert client.get("/api/v1/people", headers=headers).status_code == 403


def test_a_staff_member_sees_their_own_training_record(client, alice, cohort, tara):
    mine = EnrollmentFactory(
        cohort=cohort,
        trainee=TraineeFactory(
            organization=cohort.organization,
            full_name="Alice Outreach",
            user=alice,
            category="staff",
        ),
    )
    other = EnrollmentFactory(cohort=cohort, trainee__full_name="Somebody Else")
    session = SessionFactory(cohort=cohort, hours=Decimal(6))
    attend(mine, [session])
    client.force_login(alice)
    listing = client.get(reverse("academy:my_training"))
    assert listing.status_code == 200
    assert [e.pk for e in listing.context["enrollments"]] == [mine.pk]
    assert "6 of 144 hours" in listing.content.decode()
    record = client.get(reverse("academy:enrollment", args=[mine.pk]))
    assert record.status_code == 200
    assert "Present, 6 hours" in record.content.decode()
    assert "Somebody Else" not in record.content.decode()
    # Another trainee's record belongs to the cohort's organization, which Alice is not in.
    assert client.get(reverse("academy:enrollment", args=[other.pk])).status_code == 404
    assert client.get(reverse("academy:cohort", args=[cohort.pk])).status_code == 404


def test_someone_without_a_record_sees_an_empty_page(client, bob):
    client.force_login(bob)
    response = client.get(reverse("academy:my_training"))
    assert response.status_code == 200
    assert "You have no training record yet." in response.content.decode()


def test_my_training_query_count(client, officer, police_cohort, django_assert_max_num_queries):
    trainee = Enrollment.objects.get(trainee__user=officer).trainee
    for _ in range(8):
        other = EnrollmentFactory(trainee=trainee, cohort__organization=police_cohort.organization)
        attend(other, [SessionFactory(cohort=other.cohort)])
    client.force_login(officer)
    client.get(reverse("academy:my_training"))
    with django_assert_max_num_queries(9):
        response = client.get(reverse("academy:my_training"))
    assert len(response.context["enrollments"]) == 9


# The academy never makes a membership; the staff pages of accounts must not either.
# accounts.services.membership_add and accounts.forms.MembershipAdminForm do not know
# about trainees yet: they should refuse a user for whom
# peacehub.academy.access.is_outside_trainee(user) holds. Strict: these start failing,
# as a reminder to drop the marker, once accounts refuses.
def test_no_staff_form_makes_an_outside_trainee_a_member(client, olivia, org_a, officer):
    client.force_login(olivia)
    client.post(
        reverse("accounts:staff_add", args=[org_a.pk]),
        {"full_name": "Daniel Reyes", "email": officer.email, "role": "outreach_worker"},
    )
    assert not Membership.objects.filter(user=officer).exists()


def test_no_admin_page_makes_an_outside_trainee_a_member(admin_client, org_a, officer):
    admin_client.post(
        reverse("admin:accounts_membership_add"),
        {"user": officer.pk, "organization": org_a.pk, "role": "outreach_worker"},
    )
    assert not Membership.objects.filter(user=officer).exists()
