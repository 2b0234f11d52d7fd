import uuid

import factory

from peacehub.geo.models import CommunityArea
from peacehub.services.hsds import address_id_for
from peacehub.services.models import (
    Attribute,
    DirectoryOrganization,
    Language,
    LanguageCode,
    Location,
    Phone,
    Service,
    ServiceArea,
    ServiceAtLocation,
    need_term_id,
)
from peacehub.services.services import needs_taxonomy_ensure, service_words_refresh


class DirectoryOrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DirectoryOrganization

    name = factory.Sequence(lambda n: f"Helping Hands {n}")
    description = "A community organization."


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    organization = factory.SubFactory(DirectoryOrganizationFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    description = "Help for people who need it."
    eligibility_description = "Adults in the area."


def area(number: int) -> CommunityArea:
    return CommunityArea.objects.get(number=number)


def directory_service(
    *,
    name: str = "Neighbourhood help desk",
    description: str = "Help for people who need it.",
    organization: DirectoryOrganization | None = None,
    needs: tuple[str, ...] = (),
    languages: tuple[str, ...] = ("en",),
    areas: tuple[int, ...] = (),
    location_area: int | None = None,
    phone: str = "(773) 555-0100",
    **fields,
) -> Service:
    """A service with its needs, languages, service area, location and phone, as the
    directory holds them (search words included)."""
    needs_taxonomy_ensure()
    service = ServiceFactory(
        name=name,
        description=description,
        **({"organization": organization} if organization else {}),
        **fields,
    )
    for code in needs:
        Attribute.objects.create(service=service, taxonomy_term_id=need_term_id(code))
    for code in languages:
        Language.objects.create(service=service, code=code, name=str(LanguageCode(code).label))
    if areas:
        service_area = ServiceArea.objects.create(service=service, name="Areas served")
        service_area.community_areas.set([area(n) for n in areas])
    if location_area is not None:
        where = area(location_area)
        location_id = uuid.uuid4()
        location = Location.objects.create(
            pk=location_id,
            address_id=address_id_for(location_id),
            organization=service.organization,
            name=f"{name} office",
            latitude=where.centroid_latitude,
            longitude=where.centroid_longitude,
            address_1="6300 S Halsted St",
            city="Chicago",
            state_province="IL",
            postal_code="60621",
            community_area=where,
        )
        ServiceAtLocation.objects.create(service=service, location=location)
    if phone:
        Phone.objects.create(service=service, number=phone)
    service_words_refresh([service.pk])
    return service
