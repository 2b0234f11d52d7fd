"""Every URL and API endpoint that shows or changes one person, for every role, in the
person's own organization and in another one.

The expectations are written out here from the design, not derived from the role
table in the code, so that a change to the code's table that widens access fails.
"""

import pytest
from django.urls import reverse

from peacehub.accounts.roles import Role
from peacehub.accounts.services import api_token_create
from peacehub.accounts.tests.factories import OrganizationFactory, member
from peacehub.audit.models import AuditEvent
from peacehub.people.tests.factories import ConsentFactory, PersonFactory

pytestmark = pytest.mark.django_db

# Roles that work with participants.
PERSON_ROLES = {
    Role.OUTREACH_WORKER,
    Role.CASE_MANAGER,
    Role.VICTIM_ADVOCATE,
    Role.BEHAVIORAL_HEALTH_CLINICIAN,
    Role.WORKFORCE_STAFF,
    Role.LEGAL_STAFF,
    Role.IPV_STAFF,
    Role.SUPERVISOR,
}
# Roles that decide CVI eligibility and see the checklist and nicknames.
CVI_ROLES = {Role.OUTREACH_WORKER, Role.CASE_MANAGER, Role.VICTIM_ADVOCATE, Role.SUPERVISOR}

# name → (method, url builder, roles that get 200 in the person's own organization)
PERSON_URLS = {
    "detail": ("get", lambda p, c: reverse("people:detail", args=[p.pk]), PERSON_ROLES),
    "edit": ("get", lambda p, c: reverse("people:edit", args=[p.pk]), PERSON_ROLES),
    "eligibility": ("get", lambda p, c: reverse("people:eligibility", args=[p.pk]), CVI_ROLES),
    "eligibility_print": (
        "get",
        lambda p, c: reverse("people:eligibility_print", args=[p.pk]),
        CVI_ROLES,
    ),
    "consent_create": (
        "get",
        lambda p, c: reverse("people:consent_create", args=[p.pk]),
        PERSON_ROLES,
    ),
    "status": ("post", lambda p, c: reverse("people:status", args=[p.pk]), PERSON_ROLES),
    "consent_revoke": (
        "post",
        lambda p, c: reverse("people:consent_revoke", args=[p.pk, c.pk]),
        PERSON_ROLES,
    ),
    "api_read": ("api_get", lambda p, c: f"/api/v1/people/{p.pk}", PERSON_ROLES),
    "api_update": ("api_patch", lambda p, c: f"/api/v1/people/{p.pk}", PERSON_ROLES),
}
SUCCESS = {"get": 200, "post": 302, "api_get": 200, "api_patch": 200}


@pytest.fixture
def subject(org_a):
    person = PersonFactory(organization=org_a, legal_first_name="Dashawn", legal_last_name="Ellis")
    consent = ConsentFactory(person=person)
    return person, consent


def _call(client, method, url, user):
    if method == "get":
        return client.get(url)
    if method == "post":
        return client.post(url, {"to_status": "engaged", "note": ""})
    _, raw = api_token_create(user=user, name="matrix")
    headers = {"Authorization": f"Bearer {raw}"}
    if method == "api_get":
        return client.get(url, headers=headers)
    return client.patch(
        url, data={"preferred_name": "Shawn"}, content_type="application/json", headers=headers
    )


@pytest.mark.parametrize("url_name", PERSON_URLS)
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("same_organization", [True, False], ids=["own-org", "other-org"])
def test_person_url_matrix(client, subject, org_a, url_name, role, same_organization):
    person, consent = subject
    organization = org_a if same_organization else OrganizationFactory(name="Elsewhere")
    user = member(organization, role)
    client.force_login(user)
    method, build, allowed = PERSON_URLS[url_name]

    response = _call(client, method, build(person, consent), user)

    if not same_organization:
        expected = 404
    elif role in allowed:
        expected = SUCCESS[method]
    else:
        expected = 403
    assert response.status_code == expected
    if expected in (403, 404):
        assert b"Dashawn" not in response.content
        assert b"Ellis" not in response.content
        assert not AuditEvent.objects.filter(
            record_id=str(person.pk), actor_id=str(user.pk)
        ).exists()
    else:
        assert AuditEvent.objects.filter(record_id=str(person.pk), actor_id=str(user.pk)).exists()


LIST_URLS = {
    "list": lambda: reverse("people:list"),
    "search": lambda: reverse("people:list") + "?q=Elis",
    "htmx_search": lambda: reverse("people:list") + "?q=Dashaun",
    "autocomplete": lambda: reverse("people:autocomplete") + "?q=Dashawn",
    "export": lambda: reverse("people:export"),
}
LIST_ALLOWED = {
    "list": PERSON_ROLES,
    "search": PERSON_ROLES,
    "htmx_search": PERSON_ROLES,
    "autocomplete": PERSON_ROLES,
    "export": {Role.SUPERVISOR},
}


def _body(response) -> bytes:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("url_name", LIST_URLS)
@pytest.mark.parametrize("role", list(Role))
def test_lists_show_only_own_organization(client, subject, org_a, org_b, url_name, role):
    """A list, a search, an autocomplete or an export shows the user's own people and
    never another organization's, for every role."""
    PersonFactory(organization=org_b, legal_first_name="Dashawn", legal_last_name="Elliston")
    user = member(org_a, role)
    client.force_login(user)
    headers = {"HX-Request": "true"} if url_name == "htmx_search" else {}

    response = client.get(LIST_URLS[url_name](), headers=headers)

    body = _body(response)
    assert b"Elliston" not in body
    if role in LIST_ALLOWED[url_name]:
        assert response.status_code == 200
        assert b"Ellis" in body
    else:
        assert response.status_code == 403
        assert b"Ellis" not in body


@pytest.mark.parametrize("role", list(Role))
def test_a_picker_asking_by_id_names_only_own_people(client, subject, org_a, org_b, role):
    """A form filled in again after the session ran out asks the picker for the name of
    the person it holds (?id=): an id from another organization names nobody."""
    stranger = PersonFactory(
        organization=org_b, legal_first_name="Dashawn", legal_last_name="Elliston"
    )
    person, _ = subject
    client.force_login(member(org_a, role))

    own = client.get(reverse("people:autocomplete"), {"picker": "1", "id": person.pk})
    other = client.get(reverse("people:autocomplete"), {"picker": "1", "id": stranger.pk})

    assert b"Elliston" not in other.content
    assert b"data-pick" not in other.content
    if role in PERSON_ROLES:
        assert own.status_code == other.status_code == 200
        assert f'data-pick="{person.pk}"'.encode() in own.content
        assert b"Ellis" in own.content
    else:
        assert own.status_code == other.status_code == 403
        assert b"Ellis" not in own.content


@pytest.mark.parametrize("role", list(Role))
def test_api_list_and_search_show_only_own_organization(client, subject, org_a, org_b, role):
    PersonFactory(organization=org_b, legal_first_name="Dashawn", legal_last_name="Elliston")
    user = member(org_a, role)
    _, raw = api_token_create(user=user, name="list")
    headers = {"Authorization": f"Bearer {raw}"}

    listing = client.get("/api/v1/people", headers=headers)
    search = client.get("/api/v1/people?q=Dashawn", headers=headers)

    for response in (listing, search):
        assert b"Elliston" not in response.content
        if role in PERSON_ROLES:
            assert response.status_code == 200
            assert response.json()["count"] == 1
            assert response.json()["results"][0]["legal_last_name"] == "Ellis"
        else:
            assert response.status_code == 403


@pytest.mark.parametrize("role", list(Role))
def test_fields_follow_the_role(client, subject, org_a, role):
    """Nicknames and the eligibility checklist are for the CVI roles only."""
    person, _ = subject
    person.nicknames = "Shady"
    person.save(update_fields=["nicknames"])
    user = member(org_a, role)
    client.force_login(user)
    _, raw = api_token_create(user=user, name="fields")

    page = client.get(reverse("people:detail", args=[person.pk]))
    api = client.get(f"/api/v1/people/{person.pk}", headers={"Authorization": f"Bearer {raw}"})

    if role not in PERSON_ROLES:
        assert page.status_code == api.status_code == 403
        return
    shows_cvi = role in CVI_ROLES
    assert (b"Shady" in page.content) is shows_cvi
    assert (b"Eligibility checklist" in page.content) is shows_cvi
    assert (api.json().get("nicknames") == "Shady") is shows_cvi


def test_dashboard_count_ignores_other_organizations(client, bob, org_a, org_b):
    PersonFactory.create_batch(2, organization=org_a)
    PersonFactory.create_batch(5, organization=org_b)
    client.force_login(bob)

    response = client.get(reverse("site:dashboard"))

    assert "2 participants in your organization" in response.content.decode()
    assert response.context["people_total"] == 2


def test_list_count_ignores_other_organizations(client, alice, org_a, org_b):
    PersonFactory.create_batch(3, organization=org_a)
    PersonFactory.create_batch(4, organization=org_b)
    client.force_login(alice)

    response = client.get(reverse("people:list"))

    assert response.context["page"].paginator.count == 3
    assert "3 participants" in response.content.decode()


def test_a_view_never_reads_people_without_the_access_layer():
    """Views and API modules reach Person only through visible_to / shared_with /
    get_person_for_user: a bare Person.objects.get/filter/all in them fails this test."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    modules = [*root.rglob("views.py"), *root.rglob("views/*.py"), *root.rglob("api.py")]
    assert len(modules) > 10
    for path in modules:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "objects"
                and isinstance(node.value.value, ast.Name)
                and node.value.value.id == "Person"
                and node.attr not in {"visible_to", "shared_with"}
            ):
                offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    assert offenders == []
