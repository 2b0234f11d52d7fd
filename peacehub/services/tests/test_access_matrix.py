"""Every role, on the directory's pages and API. Expectations come from the design:
all staff of the coalition look services up; evaluators and trainers do not; convener
staff and organization admins manage the directory, an organization admin only their
own organization's services; only the convener imports files."""

import pytest
from django.urls import reverse

from peacehub.accounts.models import Organization
from peacehub.accounts.roles import Role
from peacehub.accounts.services import api_token_create
from peacehub.accounts.tests.factories import OrganizationFactory, member
from peacehub.services.tests.factories import DirectoryOrganizationFactory, directory_service

pytestmark = pytest.mark.django_db

NO_DIRECTORY = {Role.TRAINER, Role.EVALUATOR}
MANAGERS = {Role.ORGANIZATION_ADMIN, Role.CONVENER_STAFF}
CONVENER_ROLES = {Role.CONVENER_STAFF, Role.TRAINER, Role.EVALUATOR}


@pytest.fixture
def world(org_a, org_b):
    convener = OrganizationFactory(name="Metro Peace Alliance", kind=Organization.Kind.CONVENER)
    ours = directory_service(
        name="Our job club",
        organization=DirectoryOrganizationFactory(organization=org_a),
    )
    theirs = directory_service(
        name="Their job club",
        organization=DirectoryOrganizationFactory(organization=org_b),
    )
    return {"convener": convener, "org_a": org_a, "ours": ours, "theirs": theirs}


def persona(world, role: Role):
    home = world["convener"] if role in CONVENER_ROLES else world["org_a"]
    return member(home, role, f"{role.value}@example.org")


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_every_role(client, world, role):
    user = persona(world, role)
    client.force_login(user)
    _, token = api_token_create(user=user, name="t")
    bearer = {"Authorization": f"Bearer {token}"}
    reads = 403 if role in NO_DIRECTORY else 200
    assert client.get(reverse("services:search")).status_code == reads
    assert client.get(reverse("services:detail", args=[world["ours"].pk])).status_code == reads
    assert client.get("/api/v1/services", headers=bearer).status_code == reads
    assert client.get(f"/api/v1/services/{world['theirs'].pk}", headers=bearer).status_code == reads

    manages = 200 if role in MANAGERS else 403
    assert client.get(reverse("services:manage")).status_code == manages
    assert client.get(reverse("services:edit", args=[world["ours"].pk])).status_code == manages
    # Another organization's service: only the convener's staff may change it.
    theirs = 200 if role == Role.CONVENER_STAFF else 403
    assert client.get(reverse("services:edit", args=[world["theirs"].pk])).status_code == theirs
    imports = 200 if role == Role.CONVENER_STAFF else 403
    assert client.get(reverse("services:import")).status_code == imports
