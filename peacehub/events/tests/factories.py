import datetime

import factory
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from django.utils import timezone

from peacehub.events import services
from peacehub.events.models import Event, EventKind, Place, PlaceKind
from peacehub.geo.models import CommunityArea


def area(number: int = 68) -> CommunityArea:
    return CommunityArea.objects.defer("boundary").get(number=number)


class PlaceFactory(factory.django.DjangoModelFactory):
    """A place at the middle of a community area (Englewood unless told)."""

    class Meta:
        model = Place

    class Params:
        area_number = 68

    name = factory.Sequence(lambda n: f"Test Park {n}")
    kind = PlaceKind.PARK
    address = factory.Sequence(lambda n: f"{6000 + n} S Halsted St")
    community_area = factory.LazyAttribute(lambda p: area(p.area_number))
    latitude = factory.LazyAttribute(lambda p: p.community_area.centroid_latitude)
    longitude = factory.LazyAttribute(lambda p: p.community_area.centroid_longitude)


def at(days: int, hour: int = 18, minute: int = 0) -> datetime.datetime:
    """Today plus ``days``, at the given local time."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class EventFactory(factory.django.DjangoModelFactory):
    """A public event tomorrow evening. Pass hosts=[organization]."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Light in the Night {n}")
    kind = EventKind.LIGHT_IN_THE_NIGHT
    place = factory.SubFactory(PlaceFactory)
    starts_at = factory.LazyFunction(lambda: at(1, 18))
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + datetime.timedelta(hours=4))
    food_served = True
    food_description = "Grilled chicken and fruit"
    activities = "Basketball, DJ"
    services = factory.LazyFunction(lambda: ["job_sign_up"])

    @factory.post_generation
    def hosts(self, create, extracted, **kwargs):
        if create and extracted:
            self.hosts.set(extracted)


def service_request(user):
    """A request as a service sees it: a user and an address, for the audit log."""
    request = RequestFactory().post("/")
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def make_series(user, *, hosts, place=None, weekdays=(3, 4, 5, 6), first=None, last=None, **extra):
    """A series through the service, as the form would send it."""
    first = first or timezone.localdate() + datetime.timedelta(days=1)
    last = last or first + datetime.timedelta(days=13)
    data = {
        "title": "Summer nights",
        "kind": EventKind.LIGHT_IN_THE_NIGHT,
        "place": place or PlaceFactory(),
        "hosts": hosts,
        "food_served": True,
        "food_description": "Hot dogs",
        "activities": "Basketball",
        "services": [],
        "is_public": True,
        "weekdays": list(weekdays),
        "start_time": datetime.time(18, 0),
        "end_time": datetime.time(22, 0),
        "first_date": first,
        "last_date": last,
        **extra,
    }
    return services.series_create(request=service_request(user), data=data)
