import factory

from peacehub.accounts.models import Membership, Organization, User
from peacehub.accounts.roles import Role

TEST_PASSWORD = "correct horse battery staple"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Organization {n}")
    kind = Organization.Kind.PARTNER


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Staff Member {n}")
    password = factory.django.Password(TEST_PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.OUTREACH_WORKER


def member(organization: Organization, role: Role, email: str | None = None, **user_fields):
    """A user with one membership: the usual shape of a test persona."""
    user = UserFactory(**({"email": email} if email else {}), **user_fields)
    MembershipFactory(user=user, organization=organization, role=role)
    return user
