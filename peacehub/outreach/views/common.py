from django.utils import timezone

from peacehub.accounts.access import memberships_of, organizations_with
from peacehub.accounts.roles import Permission
from peacehub.people.access import people_visible_to


def acting_organization(user, permission: Permission, organization_id=None):
    """The organization a user acts for: the one of ``organization_id`` (a chosen
    person's) when their role there allows it, else their first one whose role allows
    it. (Staff of two organizations pick the person first; the person decides.) From
    the memberships already loaded, without a query."""
    organizations = organizations_with(user, permission)
    if organization_id is not None:
        return next((o for o in organizations if o.pk == organization_id), None)
    return organizations[0] if organizations else None


def workable_people(user, permission: Permission):
    """People the user may pick for an outreach record: their own organizations'."""
    organization_ids = [o.pk for o in organizations_with(user, permission)]
    return people_visible_to(user).filter(organization_id__in=organization_ids)


def home_area(user, organization):
    """Where the user mostly works: their membership's area, else the first area their
    organization serves."""
    for membership in memberships_of(user):
        if membership.organization_id == organization.pk and membership.community_area_id:
            return membership.community_area
    return organization.community_areas.order_by("name").first()


def now_local():
    return timezone.localtime().replace(second=0, microsecond=0)
