"""The service directory, shaped after the Open Referral Human Services Data
Specification (HSDS 3.0): each model is one HSDS object, with the HSDS field names and
HSDS ids (UUIDs) as primary keys, so that import and export map field for field.

PeaceHub keeps the parts a case manager uses to find help and refer to it: a service
with its organization, eligibility, ages, fees, how to apply, languages, phones,
locations, the community areas it serves and its categories of need. Other HSDS
objects (schedules, contacts, funding, cost options…) are validated on import and not
kept. The directory is public reference data about services: it holds no person.

Categories of need are HSDS attributes linking a service to terms of the
"peacehub-needs" taxonomy, whose terms are exactly `peacehub.cases.domains.Domain`, so
that a need found in an assessment leads straight to the services that meet it.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peacehub.cases.domains import Domain

# Every id PeaceHub derives (the needs taxonomy and its terms, the community-area terms
# of an export) is a uuid5 in this namespace, the same in every installation.
DIRECTORY_NAMESPACE = uuid.UUID("5f0c2d4e-8d1b-5b7e-9a51-3c2f6e1d9b40")
NEEDS_TAXONOMY_ID = uuid.uuid5(DIRECTORY_NAMESPACE, "taxonomy/peacehub-needs")
NEEDS_TAXONOMY_NAME = "peacehub-needs"


def need_term_id(code: str) -> uuid.UUID:
    """The id of the needs taxonomy's term for a Domain value."""
    return uuid.uuid5(DIRECTORY_NAMESPACE, f"peacehub-needs/{code}")


# Each need's term id, in the order of Domain.
_NEED_TERMS = [(need_term_id(domain.value), domain) for domain in Domain]


class ServiceStatus(models.TextChoices):
    # The values are HSDS's own, space included.
    ACTIVE = "active", _("Active")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("Defunct")


# Services a search offers: the others stay in the directory for the record.
OPEN_STATUSES = (ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)


class LanguageCode(models.TextChoices):
    """The languages the forms and the search offer (ISO 639-1, or 639-3 where there is
    no two-letter code): those most spoken in the coalition's city. An import may bring
    any other code; it is kept and searchable through the API."""

    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    POLISH = "pl", _("Polish")
    ARABIC = "ar", _("Arabic")
    CHINESE = "zh", _("Chinese")
    TAGALOG = "tl", _("Tagalog")
    KOREAN = "ko", _("Korean")
    URDU = "ur", _("Urdu")
    VIETNAMESE = "vi", _("Vietnamese")
    RUSSIAN = "ru", _("Russian")
    FRENCH = "fr", _("French")
    AMERICAN_SIGN_LANGUAGE = "ase", _("American Sign Language")


MAX_AGE = 130


class DirectoryOrganization(models.Model):
    """HSDS organization: who provides a service. `organization` links it to a member
    of the coalition on PeaceHub; only such services can receive referrals here."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    alternate_name = models.CharField(_("other name"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("coalition member on PeaceHub"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directory_organizations",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("directory organization")
        verbose_name_plural = _("directory organizations")

    def __str__(self) -> str:
        return self.name


class ServiceQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def for_listing(self, *, attributes=None):
        """Everything a result card shows, in a fixed number of queries. A card's
        needs come from the attributes' term ids alone (Service.needs)."""
        if attributes is None:
            attributes = Attribute.objects.only("id", "service_id", "taxonomy_term_id")
        # Into plain lists (to_attr): a prefetch kept in the related managers makes
        # Django build one queryset per service and relation, which cost more than
        # every query of the search page together.
        return self.select_related("organization__organization").prefetch_related(
            models.Prefetch("languages", to_attr="listed_languages"),
            models.Prefetch("phones", to_attr="listed_phones"),
            models.Prefetch(
                "service_at_locations",
                queryset=ServiceAtLocation.objects.select_related("location__community_area")
                .defer("location__community_area__boundary")
                .order_by("location__name", "id"),
                to_attr="listed_locations",
            ),
            models.Prefetch("attributes", queryset=attributes, to_attr="listed_attributes"),
        )

    def for_detail(self):
        """A service's page: the card's lists, and every category with its name."""
        return self.for_listing(
            attributes=Attribute.objects.select_related("taxonomy_term__taxonomy")
        )


class Service(models.Model):
    """HSDS service: what an organization offers, to whom, and how to get it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        DirectoryOrganization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    name = models.CharField(_("name"), max_length=200)
    alternate_name = models.CharField(_("other name"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    url = models.URLField(_("web page"), max_length=500, blank=True)
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    eligibility_description = models.TextField(_("who is eligible"), max_length=2000, blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    fees_description = models.TextField(_("fees"), max_length=2000, blank=True)
    application_process = models.TextField(_("how to apply"), max_length=2000, blank=True)
    categories = models.ManyToManyField(
        "TaxonomyTerm", through="Attribute", related_name="services", blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # HSDS last_modified.
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        indexes = [models.Index(fields=["status", "name"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ServiceStatus.values), name="service_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(minimum_age__isnull=True)
                | models.Q(maximum_age__isnull=True)
                | models.Q(minimum_age__lte=models.F("maximum_age")),
                name="service_ages_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def receiving_organization(self):
        """The coalition organization that receives referrals to this service on
        PeaceHub, or None for a service outside the coalition."""
        return self.organization.organization if self.organization.organization_id else None

    # What a page shows of the service: the lists ServiceQuerySet.for_listing loaded,
    # or else a query each.

    def _listed(self, attribute: str, manager) -> list:
        listed = getattr(self, attribute, None)
        return listed if listed is not None else list(manager.all())

    @property
    def language_list(self) -> list["Language"]:
        return self._listed("listed_languages", self.languages)

    @property
    def phone_list(self) -> list["Phone"]:
        return self._listed("listed_phones", self.phones)

    @property
    def needs(self) -> list[Domain]:
        """The service's categories of need: the needs taxonomy's terms have ids made
        from the Domain codes (need_term_id), so the term rows are not needed."""
        term_ids = {a.taxonomy_term_id for a in self._listed("listed_attributes", self.attributes)}
        return [domain for term_id, domain in _NEED_TERMS if term_id in term_ids]

    @property
    def other_categories(self) -> list["TaxonomyTerm"]:
        return [
            a.taxonomy_term
            for a in self._listed("listed_attributes", self.attributes)
            if a.taxonomy_term.taxonomy_id != NEEDS_TAXONOMY_ID
        ]

    @property
    def locations(self) -> list["Location"]:
        return [
            link.location for link in self._listed("listed_locations", self.service_at_locations)
        ]


class Language(models.Model):
    """HSDS language: a language the service is delivered in (without interpreting)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    name = models.CharField(_("name"), max_length=100, blank=True)
    # ISO 639-1 or 639-3, lower case.
    code = models.CharField(_("code"), max_length=20, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["name", "code"]
        # The language filter looks services up by code.
        indexes = [models.Index(fields=["code", "service"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.code in LanguageCode.values:
            return str(LanguageCode(self.code).label)
        return self.name or self.code


class Phone(models.Model):
    """HSDS phone of a service."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("number"), max_length=50)
    extension = models.PositiveIntegerField(_("extension"), null=True, blank=True)
    type = models.CharField(_("type"), max_length=20, blank=True, default="voice")
    description = models.CharField(_("description"), max_length=500, blank=True)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return self.number


class LocationType(models.TextChoices):
    PHYSICAL = "physical", _("A place to visit")
    POSTAL = "postal", _("Postal address only")
    VIRTUAL = "virtual", _("Online or by phone")


class Location(models.Model):
    """HSDS location with its (first) address: a public place where a service is
    offered. Its community area is found from its coordinates, never typed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        DirectoryOrganization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="locations",
    )
    location_type = models.CharField(
        _("kind of location"),
        max_length=20,
        choices=LocationType.choices,
        default=LocationType.PHYSICAL,
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    # HSDS address, flattened: PeaceHub keeps one address per location.
    address_id = models.UUIDField(null=True, blank=True, editable=False)
    address_1 = models.CharField(_("street address"), max_length=200, blank=True)
    address_2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    state_province = models.CharField(_("state"), max_length=100, blank=True)
    postal_code = models.CharField(_("ZIP code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, default="US")
    community_area = models.ForeignKey(
        "geo.CommunityArea",
        verbose_name=_("community area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_locations",
        editable=False,
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="location_coordinates_paired",
            )
        ]

    def __str__(self) -> str:
        return self.name or self.address_1 or str(self.pk)

    @property
    def has_address(self) -> bool:
        return bool(self.address_1 and self.city)


class ServiceAtLocation(models.Model):
    """HSDS service_at_location: a service offered at a location."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    description = models.TextField(_("description"), max_length=2000, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="one_link_per_location")
        ]


class ServiceArea(models.Model):
    """HSDS service_area: where a service's clients may live, as community areas."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(_("name"), max_length=1000, blank=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    community_areas = models.ManyToManyField(
        "geo.CommunityArea",
        verbose_name=_("community areas"),
        related_name="service_areas",
        blank=True,
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Taxonomy(models.Model):
    """HSDS taxonomy: a vocabulary that terms come from."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    uri = models.URLField(_("address"), max_length=500, blank=True)
    version = models.CharField(_("version"), max_length=50, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("taxonomies")

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    """HSDS taxonomy_term."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    taxonomy = models.ForeignKey(
        Taxonomy, on_delete=models.PROTECT, null=True, blank=True, related_name="terms"
    )
    code = models.CharField(_("code"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    # HSDS allows a parent that is not in the dataset: an id, not a foreign key.
    parent_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        if self.taxonomy_id == NEEDS_TAXONOMY_ID and self.code in Domain.values:
            return str(Domain(self.code).label)
        return self.name


class Attribute(models.Model):
    """HSDS attribute: a service tagged with a taxonomy term (its category of need)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="attributes")
    taxonomy_term = models.ForeignKey(
        TaxonomyTerm, on_delete=models.PROTECT, related_name="attributes"
    )
    value = models.CharField(_("value"), max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["service", "taxonomy_term"], name="one_attribute_per_term"
            )
        ]
        # The need filter looks services up by term.
        indexes = [models.Index(fields=["taxonomy_term", "service"])]


class ServiceWord(models.Model):
    """One word of a service's name, other name, description or organization name,
    lower-cased without accents: the index the free-text search reads (see
    peacehub.services.search). Rebuilt by services.py whenever those fields change."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="words")
    word = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "word"], name="one_row_per_service_word")
        ]
        indexes = [models.Index(fields=["word", "service"])]
