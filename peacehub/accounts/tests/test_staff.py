import pytest
from django.contrib.admin.sites import site as admin_site
from django.db import IntegrityError, transaction
from django.urls import reverse

from peacehub.accounts.models import Membership, User
from peacehub.accounts.roles import Role
from peacehub.accounts.services import api_token_create

pytestmark = pytest.mark.django_db

POLICE_ROLES = ["police", "police_officer", "law_enforcement", "detective", "gang_unit"]


def staff_url(organization, name="accounts:staff", *args):
    return reverse(name, args=[organization.pk, *args])


def test_admin_sees_and_adds_own_staff(client, olivia, alice, org_a):
    client.force_login(olivia)
    page = client.get(staff_url(org_a))
    assert page.status_code == 200
    assert "Alice Outreach" in page.content.decode()

    response = client.post(
        staff_url(org_a, "accounts:staff_add"),
        {"full_name": "Nia Newhire", "email": "Nia@Example.org", "role": "case_manager"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="nia@example.org")
    assert membership.organization == org_a
    assert membership.role == Role.CASE_MANAGER
    assert not membership.user.has_usable_password()


def test_admin_cannot_touch_another_organizations_staff(client, olivia, charlie, org_b):
    client.force_login(olivia)
    other = charlie.memberships.get()
    assert client.get(staff_url(org_b)).status_code == 404
    assert (
        client.post(
            staff_url(org_b, "accounts:staff_add"),
            {"full_name": "X", "email": "x@example.org", "role": "outreach_worker"},
        ).status_code
        == 404
    )
    assert (
        client.post(
            staff_url(org_b, "accounts:staff_edit", other.pk), {"role": "supervisor"}
        ).status_code
        == 404
    )
    assert client.post(staff_url(org_b, "accounts:staff_remove", other.pk)).status_code == 404
    other.refresh_from_db()
    assert other.role == Role.OUTREACH_WORKER
    assert not User.objects.filter(email="x@example.org").exists()


def test_admin_cannot_reach_a_membership_through_their_own_organization(
    client, olivia, charlie, org_a
):
    client.force_login(olivia)
    other = charlie.memberships.get()
    response = client.post(
        staff_url(org_a, "accounts:staff_edit", other.pk), {"role": "supervisor"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_other_roles_of_the_organization_get_403(client, request, org_a, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(staff_url(org_a)).status_code == 403


@pytest.mark.parametrize("role", POLICE_ROLES)
def test_no_law_enforcement_role_through_the_staff_form(client, olivia, org_a, role):
    client.force_login(olivia)
    response = client.post(
        staff_url(org_a, "accounts:staff_add"),
        {"full_name": "Officer", "email": "officer@example.org", "role": role},
    )
    assert response.status_code == 400
    assert b"Choose a role from the list" in response.content
    assert not User.objects.filter(email="officer@example.org").exists()


@pytest.mark.parametrize("role", POLICE_ROLES)
def test_no_law_enforcement_role_through_role_change(client, olivia, alice, org_a, role):
    client.force_login(olivia)
    membership = alice.memberships.get()
    response = client.post(staff_url(org_a, "accounts:staff_edit", membership.pk), {"role": role})
    membership.refresh_from_db()
    assert response.status_code == 400
    assert membership.role == Role.OUTREACH_WORKER


@pytest.mark.parametrize("role", POLICE_ROLES)
def test_no_law_enforcement_role_through_the_admin_site(admin_client, alice, org_a, role):
    before = Membership.objects.count()
    response = admin_client.post(
        reverse("admin:accounts_membership_add"),
        {"user": alice.pk, "organization": org_a.pk, "role": role},
    )
    assert response.status_code == 200
    assert b"Choose a role from the list" in response.content
    assert Membership.objects.count() == before


@pytest.mark.parametrize("role", POLICE_ROLES)
def test_no_law_enforcement_role_in_the_database(alice, org_b, role):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=alice, organization=org_b, role=role)


def test_no_role_or_api_field_mentions_law_enforcement():
    from peacehub.api import api

    words = ("police", "law_enforcement", "officer", "detective")
    assert not [r for r in Role.values if any(w in r for w in words)]
    schema = str(api.get_openapi_schema()).lower()
    assert not [w for w in words if w in schema]


def test_convener_staff_role_belongs_to_the_convener_only(client, olivia, org_a):
    client.force_login(olivia)
    response = client.post(
        staff_url(org_a, "accounts:staff_add"),
        {"full_name": "Con", "email": "con@example.org", "role": "convener_staff"},
    )
    assert response.status_code == 400
    assert b"only belong to the convener" in response.content


def _signed_in(client_class, user):
    client = client_class()
    client.force_login(user)
    assert client.get(reverse("accounts:profile")).status_code == 200
    return client


def test_removing_a_membership_ends_sessions_at_once(client, olivia, alice, org_a):
    from django.test import Client

    alice_client = _signed_in(Client, alice)
    client.force_login(olivia)
    client.post(staff_url(org_a, "accounts:staff_remove", alice.memberships.get().pk))

    assert not Membership.objects.filter(user=alice).exists()
    assert alice_client.get(reverse("accounts:profile")).status_code == 302


def test_changing_a_role_ends_sessions_at_once(client, olivia, alice, org_a):
    from django.test import Client

    alice_client = _signed_in(Client, alice)
    client.force_login(olivia)
    client.post(
        staff_url(org_a, "accounts:staff_edit", alice.memberships.get().pk),
        {"role": "case_manager"},
    )
    assert alice_client.get(reverse("accounts:profile")).status_code == 302


def test_deactivating_ends_sessions_and_tokens(client, olivia, alice, org_a):
    from django.test import Client

    _, raw = api_token_create(user=alice, name="x")
    alice_client = _signed_in(Client, alice)
    client.force_login(olivia)
    client.post(staff_url(org_a, "accounts:staff_deactivate", alice.memberships.get().pk))

    alice.refresh_from_db()
    assert not alice.is_active
    assert alice_client.get(reverse("accounts:profile")).status_code == 302
    api = Client().get("/api/v1/people", headers={"Authorization": f"Bearer {raw}"})
    assert api.status_code == 401


def test_admin_cannot_deactivate_someone_who_works_elsewhere_too(
    client, olivia, alice, org_a, org_b
):
    Membership.objects.create(user=alice, organization=org_b, role=Role.CASE_MANAGER)
    client.force_login(olivia)
    response = client.post(
        staff_url(org_a, "accounts:staff_deactivate", alice.memberships.get(organization=org_a).pk),
        follow=True,
    )
    alice.refresh_from_db()
    assert alice.is_active
    assert b"also works with another organization" in response.content


def test_admin_cannot_change_or_remove_their_own_membership(client, olivia, org_a):
    client.force_login(olivia)
    own = olivia.memberships.get()
    client.post(staff_url(org_a, "accounts:staff_edit", own.pk), {"role": "supervisor"})
    client.post(staff_url(org_a, "accounts:staff_remove", own.pk))
    client.post(staff_url(org_a, "accounts:staff_deactivate", own.pk))
    own.refresh_from_db()
    olivia.refresh_from_db()
    assert own.role == Role.ORGANIZATION_ADMIN
    assert olivia.is_active


def test_profile_form_ignores_role_organization_and_staff_flags(client, alice, org_b):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:profile"),
        {
            "form": "profile",
            "full_name": "Alice O.",
            "preferred_language": "en",
            "role": "supervisor",
            "organization": str(org_b.pk),
            "is_staff": "on",
            "is_superuser": "on",
            "is_active": "on",
        },
    )
    alice.refresh_from_db()
    assert response.status_code == 302
    assert alice.full_name == "Alice O."
    assert not alice.is_staff
    assert not alice.is_superuser
    assert [(m.organization.name, m.role) for m in alice.memberships.all()] == [
        ("Southside Bridges", "outreach_worker")
    ]


def test_an_operator_cannot_change_their_own_flags_in_the_admin(admin_user, rf):
    from peacehub.accounts.admin import UserAdmin

    request = rf.get("/")
    request.user = admin_user
    readonly = UserAdmin(User, admin_site).get_readonly_fields(request, admin_user)
    assert {"is_active", "is_staff", "is_superuser"} <= set(readonly)


def test_no_person_level_model_is_in_the_admin():
    from peacehub.people.models import Consent, EligibilityCheck, Person, StatusChange

    for model in (Person, StatusChange, EligibilityCheck, Consent):
        assert model not in admin_site._registry


def test_a_member_of_two_organizations_sees_both(client, alice, org_b, person_a, person_b):
    member_b = Membership.objects.create(user=alice, organization=org_b, role=Role.CASE_MANAGER)
    client.force_login(alice)
    content = client.get(reverse("people:list")).content.decode()
    assert "Jamal Washington" in content
    assert "Luis Hernandez" in content
    member_b.delete()
    assert "Luis Hernandez" not in client.get(reverse("people:list")).content.decode()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"full_name": "", "email": "n@example.org", "role": "case_manager"}, b"required"),
        ({"full_name": "   ", "email": "n@example.org", "role": "case_manager"}, b"required"),
        (
            {"full_name": "N" * 151, "email": "n@example.org", "role": "case_manager"},
            b"at most 150",
        ),
        ({"full_name": "Nia", "email": "not-an-email", "role": "case_manager"}, b"valid email"),
        ({"full_name": "Nia", "email": "n@example.org", "role": ""}, b"required"),
    ],
)
def test_bad_staff_input_is_refused_and_nothing_saved(client, olivia, org_a, data, message):
    client.force_login(olivia)
    before = (User.objects.count(), Membership.objects.count())
    response = client.post(staff_url(org_a, "accounts:staff_add"), data)
    assert response.status_code == 400
    assert message in response.content
    assert (User.objects.count(), Membership.objects.count()) == before


def test_adding_an_existing_member_twice_is_refused(client, olivia, alice, org_a):
    client.force_login(olivia)
    response = client.post(
        staff_url(org_a, "accounts:staff_add"),
        {"full_name": "Alice", "email": alice.email, "role": "supervisor"},
    )
    assert response.status_code == 400
    assert b"already a member" in response.content
    assert alice.memberships.get().role == Role.OUTREACH_WORKER


@pytest.mark.parametrize(
    "data",
    [
        {"form": "profile", "full_name": "", "preferred_language": "en"},
        {"form": "profile", "full_name": "A" * 151, "preferred_language": "en"},
        {"form": "profile", "full_name": "Alice", "preferred_language": "klingon"},
    ],
)
def test_bad_profile_input_changes_nothing(client, alice, data):
    client.force_login(alice)
    response = client.post(reverse("accounts:profile"), data)
    alice.refresh_from_db()
    assert response.status_code == 200
    assert b"Nothing was saved" in response.content
    assert (alice.full_name, alice.preferred_language) == ("Alice Outreach", "en")


def test_new_staff_get_an_invitation_and_set_their_password(
    client, olivia, org_a, smtp_inbox, django_capture_on_commit_callbacks
):
    import re

    client.force_login(olivia)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            staff_url(org_a, "accounts:staff_add"),
            {"full_name": "Nia Newhire", "email": "nia@example.org", "role": "case_manager"},
        )
    [mail] = smtp_inbox.messages
    assert mail["To"] == "nia@example.org"
    body = mail.get_payload(decode=True).decode()
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", body).group(1)

    from django.test import Client

    newcomer = Client()
    form = newcomer.get(link, follow=True)
    newcomer.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a long new passphrase", "new_password2": "a long new passphrase"},
    )
    signed_in = newcomer.post(
        reverse("accounts:login"), {"email": "nia@example.org", "password": "a long new passphrase"}
    )
    assert signed_in.status_code == 302


def test_staff_without_a_password_can_ask_for_the_link_again(client, org_a, smtp_inbox):
    from peacehub.accounts.models import User

    User.objects.create_user(email="later@example.org", password=None, full_name="Later")
    client.post(reverse("accounts:password_reset"), {"email": "later@example.org"})
    assert [m["To"] for m in smtp_inbox.messages] == ["later@example.org"]
