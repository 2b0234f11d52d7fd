"""Shared test personas, after healthchecks' Alice, Bob and Charlie:

- alice: outreach worker at Southside Bridges (org A)
- bob: supervisor at Southside Bridges
- charlie: outreach worker at West Side Peacekeepers (org B)
- dana: convener staff
- eve: evaluator (at the convener)
- olivia: organization admin at Southside Bridges
"""

import pytest
from django.core.management import call_command

from peacehub.accounts.models import Organization
from peacehub.accounts.roles import Role
from peacehub.accounts.tests.factories import TEST_PASSWORD, OrganizationFactory, member
from peacehub.people.tests.factories import PersonFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_community_areas", verbosity=0)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # Argon2 is the production hasher (a test checks it); MD5 keeps the suite fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def password():
    return TEST_PASSWORD


@pytest.fixture
def org_a(db):
    return OrganizationFactory(name="Southside Bridges")


@pytest.fixture
def org_b(db):
    return OrganizationFactory(name="West Side Peacekeepers")


@pytest.fixture
def convener(db):
    return OrganizationFactory(name="Metro Peace Alliance", kind=Organization.Kind.CONVENER)


@pytest.fixture
def alice(org_a):
    return member(org_a, Role.OUTREACH_WORKER, "alice@example.org", full_name="Alice Outreach")


@pytest.fixture
def bob(org_a):
    return member(org_a, Role.SUPERVISOR, "bob@example.org", full_name="Bob Supervisor")


@pytest.fixture
def olivia(org_a):
    return member(org_a, Role.ORGANIZATION_ADMIN, "olivia@example.org", full_name="Olivia Admin")


@pytest.fixture
def charlie(org_b):
    return member(org_b, Role.OUTREACH_WORKER, "charlie@example.org", full_name="Charlie Other")


@pytest.fixture
def dana(convener):
    return member(convener, Role.CONVENER_STAFF, "dana@example.org", full_name="Dana Convener")


@pytest.fixture
def eve(convener):
    return member(convener, Role.EVALUATOR, "eve@example.org", full_name="Eve Evaluator")


@pytest.fixture
def person_a(org_a):
    return PersonFactory(organization=org_a, legal_first_name="Jamal", legal_last_name="Washington")


@pytest.fixture
def person_b(org_b):
    return PersonFactory(organization=org_b, legal_first_name="Luis", legal_last_name="Hernandez")


@pytest.fixture
def client_for(client):
    """Sign in as a persona: client_for(alice)."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
