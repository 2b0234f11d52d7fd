import pytest

from peacehub.accounts.models import Organization
from peacehub.accounts.tests.factories import OrganizationFactory
from peacehub.geo.models import CommunityArea
from peacehub.geo.services import focus_areas_set

# Englewood, West Englewood, Chicago Lawn, South Chicago, Austin.
FOCUS = [68, 67, 66, 46, 25]


@pytest.fixture
def coalition(db, convener, org_a):
    """A small coalition: two partners, two providers, the convener and one partner
    with no area yet. org_a (Southside Bridges, alice's organization) is a partner."""
    focus_areas_set(numbers=FOCUS)
    areas = {a.number: a for a in CommunityArea.objects.filter(number__in=FOCUS)}
    org_a.community_areas.set([areas[68], areas[67]])
    west = OrganizationFactory(name="Open Hands West")
    west.community_areas.set([areas[25]])
    legal = OrganizationFactory(name="Commons Legal Aid Project", kind=Organization.Kind.PROVIDER)
    legal.community_areas.set(areas.values())
    ipv = OrganizationFactory(
        name="Clear Path Partner Accountability Program", kind=Organization.Kind.PROVIDER
    )
    ipv.community_areas.set([areas[n] for n in (67, 68, 66, 46)])
    convener.community_areas.set(areas.values())
    return {"partners": [org_a, west], "providers": [legal, ipv], "convener": convener}
