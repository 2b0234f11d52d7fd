import random
import re

import pytest

from peacehub.accounts.models import Organization
from peacehub.cases.domains import Domain
from peacehub.demo.coalition import LEGAL_AID, PARTNERS, WORKFORCE, coalition_seed
from peacehub.demo.services import services_seed
from peacehub.geo.geometry import contains
from peacehub.services.hsds import directory_export, schema_problems
from peacehub.services.models import Location, Service
from peacehub.services.search import services_search
from peacehub.services.tests.snapshot import directory_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The coalition and its directory, seeded once for the module."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            coalition = coalition_seed()
            result = services_seed(coalition=coalition, rng=random.Random(7))
            yield coalition, result
            transaction.set_rollback(True)


def test_a_believable_directory(seeded):
    coalition, result = seeded
    assert result.services_created == Service.objects.count()
    receivable = Service.objects.filter(organization__organization__isnull=False)
    external = Service.objects.filter(organization__organization__isnull=True)
    assert 40 <= external.count() <= 80
    # Every partner and provider of the coalition runs programs in the directory.
    members = set(receivable.values_list("organization__organization", flat=True))
    assert members == set(coalition.partner_ids.values()) | set(coalition.provider_ids.values())
    legal = Service.objects.get(name="Legal Aid Justice Corps")
    assert legal.receiving_organization.name == LEGAL_AID.name
    hope = Service.objects.get(name="H.O.P.E. job-readiness curriculum")
    assert hope.receiving_organization == Organization.objects.get(name=WORKFORCE.name)
    # Every need has services outside the coalition too.
    covered = {
        n.value
        for s in Service.objects.for_listing().filter(organization__organization__isnull=True)
        for n in s.needs
    }
    assert covered == set(Domain.values)


def test_locations_sit_inside_their_focus_areas(seeded):
    locations = Location.objects.select_related("community_area")
    assert locations.count() >= 40
    for location in locations:
        area = location.community_area
        assert area is not None and area.is_focus_area, location.name
        assert contains(area.boundary, location.longitude, location.latitude)
        assert re.fullmatch(r"\d+ [NSEW] .+ (St|Ave|Rd)", location.address_1), location.address_1


def test_only_fictional_phone_numbers_and_english_or_spanish(seeded):
    numbers = Service.objects.values_list("phones__number", flat=True)
    assert all(re.fullmatch(r"\((773|312)\) 555-01\d\d", n) for n in numbers)
    codes = set(Service.objects.values_list("languages__code", flat=True))
    assert {"en", "es"} <= codes <= {"en", "es", "ar", "ase"}


def test_searching_the_demo_directory(seeded, dana):
    englewood = Location.objects.filter(community_area__number=68).first().community_area
    housing = list(services_search(dana, need="housing", area_id=englewood.pk))
    assert housing
    spanish_ged = services_search(dana, need="education", language="es", text="GED")
    assert spanish_ged.filter(name="GED attainment program").exists()
    first = services_search(dana, need="safety", area_id=englewood.pk).first()
    assert first.organization.organization is not None  # coalition first
    assert PARTNERS[0].name in {
        s.organization.name for s in services_search(dana, need="safety", area_id=englewood.pk)
    }


def test_seeding_again_changes_nothing(seeded):
    coalition, _ = seeded
    before = directory_rows()
    again = services_seed(coalition=coalition, rng=random.Random(99))
    assert again.services_created == 0 and not again.changed
    assert directory_rows() == before


def test_the_demo_directory_exports_valid_hsds(seeded):
    exported = directory_export()
    assert len(exported) == Service.objects.count()
    problems = [p for service in exported for p in schema_problems(service)]
    assert problems == []
