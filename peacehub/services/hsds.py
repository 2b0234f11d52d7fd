"""HSDS 3.0 in and out: the schemas, validation, reading an import file into rows, and
writing directory rows as HSDS service objects.

Validation follows data/hsds/SOURCES.md: every schema file of data/hsds/v3.0/schema is
registered in one `referencing.Registry` under its file name (the schemas refer to each
other as "phone.json"…), and objects are checked with `Draft202012Validator`, formats
included. An import file is a JSON array of HSDS service objects in the full nested
shape (as examples/service_full.json). Reading it never writes: `import_plan` returns
the rows to upsert, or every problem found, each with its JSON path; the write is
`peacehub.services.services.hsds_import`.

What PeaceHub adds, in HSDS's own terms, so that an export imports back unchanged:
- a directory organization that is a member of the coalition carries an
  organization_identifier of type COALITION_IDENTIFIER_TYPE whose identifier is the
  PeaceHub organization's id;
- a service area's community areas are attributes of the service area, linking to terms
  of the "peacehub-community-areas" taxonomy whose codes are the area numbers (a file
  without them may name one community area, or several separated by commas, in the
  service area's name);
- categories of need are attributes of the service linking to "peacehub-needs" terms.
"""

import contextlib
import datetime
import json
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from peacehub.cases.domains import Domain
from peacehub.geo.geometry import bounding_box, contains
from peacehub.geo.models import CommunityArea
from peacehub.services.models import (
    DIRECTORY_NAMESPACE,
    MAX_AGE,
    NEEDS_TAXONOMY_ID,
    Attribute,
    DirectoryOrganization,
    Language,
    Location,
    LocationType,
    Phone,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
    need_term_id,
)

HSDS_DIR = Path(settings.BASE_DIR) / "data" / "hsds" / "v3.0"
SCHEMA_DIR = HSDS_DIR / "schema"
EXAMPLES_DIR = HSDS_DIR / "examples"

COALITION_IDENTIFIER_TYPE = "PeaceHub coalition organization"
COMMUNITY_AREA_TAXONOMY_ID = uuid.uuid5(DIRECTORY_NAMESPACE, "taxonomy/peacehub-community-areas")
COMMUNITY_AREA_TAXONOMY_NAME = "peacehub-community-areas"

# Three-letter codes (ISO 639-2/3) of the languages the forms offer, read as the
# two-letter code the search uses.
LANGUAGE_ALIASES = {
    "eng": "en",
    "spa": "es",
    "pol": "pl",
    "ara": "ar",
    "zho": "zh",
    "chi": "zh",
    "tgl": "tl",
    "kor": "ko",
    "urd": "ur",
    "vie": "vi",
    "rus": "ru",
    "fra": "fr",
    "fre": "fr",
}


# --- Schemas ----------------------------------------------------------------------


@cache
def schema_registry() -> Registry:
    resources = [
        (
            path.name,
            Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT202012),
        )
        for path in sorted(SCHEMA_DIR.glob("*.json"))
        if path.name != "openapi.json"  # an API description, not an object schema
    ]
    return Registry().with_resources(resources)


_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")

# jsonschema checks uuid, email and date itself; "uri" and "date-time" need optional
# packages there, so they are checked here.
_formats = FormatChecker()


@_formats.checks("uri")
def _is_uri(value) -> bool:
    return not isinstance(value, str) or bool(_URI.match(value))


@_formats.checks("date-time", raises=ValueError)
def _is_date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    if "T" not in value.upper():
        raise ValueError("not a date-time")
    datetime.datetime.fromisoformat(value.replace("z", "Z"))
    return True


@cache
def validator(object_name: str = "service") -> Draft202012Validator:
    """The validator of one HSDS object ("service", "organization", …)."""
    schema = json.loads((SCHEMA_DIR / f"{object_name}.json").read_text())
    return Draft202012Validator(schema, registry=schema_registry(), format_checker=_formats)


@dataclass(frozen=True)
class Problem:
    path: str  # a JSON path: $[3].phones[0].number
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _schema_message(error) -> str:
    """jsonschema's message, said plainly and in the reader's language."""
    kind, expected = error.validator, error.validator_value
    if kind == "required":
        missing = [
            p for p in expected if isinstance(error.instance, dict) and p not in error.instance
        ]
        return _("Required property missing: %(names)s.") % {"names": ", ".join(missing)}
    if kind == "type":
        names = {
            "string": _("text"),
            "number": _("a number"),
            "integer": _("a whole number"),
            "array": _("a list"),
            "object": _("an object"),
            "boolean": _("true or false"),
        }
        expected_types = expected if isinstance(expected, list) else [expected]
        return _("This must be %(type)s.") % {
            "type": _(" or ").join(str(names.get(t, t)) for t in expected_types)
        }
    if kind == "enum":
        return _("This must be one of: %(values)s.") % {
            "values": ", ".join(f'"{v}"' for v in expected)
        }
    if kind == "format":
        formats = {
            "uuid": _("a UUID"),
            "uri": _("a web address (URI)"),
            "email": _("an email address"),
            "date": _("a date (YYYY-MM-DD)"),
            "date-time": _("a date and time (ISO 8601)"),
        }
        return _("This must be %(format)s.") % {"format": formats.get(expected, expected)}
    return error.message


def schema_problems(instance: Any, object_name: str = "service", path: str = "$") -> list[Problem]:
    """Every way ``instance`` breaks the HSDS schema of ``object_name``."""
    problems = []
    for error in sorted(
        validator(object_name).iter_errors(instance), key=lambda e: list(map(str, e.path))
    ):
        problems.append(Problem(path + error.json_path[1:], _schema_message(error)))
    return problems


# --- Community areas by coordinates -----------------------------------------------


class AreaLocator:
    """Which community area a point falls in: boundaries loaded once, a bounding box
    tried before the polygon."""

    def __init__(self):
        self._areas = [
            (pk, bounding_box(boundary), boundary)
            for pk, boundary in CommunityArea.objects.values_list("pk", "boundary")
            if boundary
        ]

    def area_id(self, latitude: float | None, longitude: float | None) -> int | None:
        if latitude is None or longitude is None:
            return None
        for pk, (west, south, east, north), boundary in self._areas:
            inside_box = west <= longitude <= east and south <= latitude <= north
            if inside_box and contains(boundary, longitude, latitude):
                return pk
        return None


# --- Reading an import file -------------------------------------------------------


@dataclass
class ImportPlan:
    """The rows an import file describes, by id: what `hsds_import` upserts."""

    organizations: dict[uuid.UUID, dict] = field(default_factory=dict)
    # Directory organization id -> PeaceHub organization id, where the file says so.
    coalition_links: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    services: dict[uuid.UUID, dict] = field(default_factory=dict)
    taxonomies: dict[uuid.UUID, dict] = field(default_factory=dict)
    terms: dict[uuid.UUID, dict] = field(default_factory=dict)
    locations: dict[uuid.UUID, dict] = field(default_factory=dict)
    phones: dict[uuid.UUID, dict] = field(default_factory=dict)
    languages: dict[uuid.UUID, dict] = field(default_factory=dict)
    service_areas: dict[uuid.UUID, dict] = field(default_factory=dict)
    # Service area id -> community area ids.
    service_area_links: dict[uuid.UUID, set[int]] = field(default_factory=dict)
    service_at_locations: dict[uuid.UUID, dict] = field(default_factory=dict)
    attributes: dict[uuid.UUID, dict] = field(default_factory=dict)


class ImportInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def _max_length(model, name: str) -> int | None:
    return model._meta.get_field(name).max_length


class _Reader:
    """Reads validated HSDS objects into an ImportPlan, collecting every problem that
    the schema cannot see: lengths PeaceHub stores, ages, ids used twice, references to
    objects that exist nowhere, unknown community areas."""

    def __init__(self):
        self.plan = ImportPlan()
        self.problems: list[Problem] = []
        # Child id -> (kind, owning service id, path), to catch one id in two services.
        self.owners: dict[uuid.UUID, tuple[str, uuid.UUID, str]] = {}
        self.areas_by_number = dict(CommunityArea.objects.values_list("number", "pk"))
        self.areas_by_name = {
            _fold(name): pk for name, pk in CommunityArea.objects.values_list("name", "pk")
        }
        self.locator = AreaLocator()
        # References to check against the database once the whole file is read.
        self.organization_refs: dict[uuid.UUID, str] = {}
        self.location_refs: dict[uuid.UUID, str] = {}
        self.term_refs: dict[uuid.UUID, str] = {}
        self.taxonomy_refs: dict[uuid.UUID, uuid.UUID] = {}  # term id -> taxonomy id

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def text(self, obj: dict, key: str, model, path: str, field_name: str | None = None) -> str:
        value = obj.get(key)
        value = value.strip() if isinstance(value, str) else ""
        limit = _max_length(model, field_name or key)
        if limit and len(value) > limit:
            self.problem(
                f"{path}.{key}",
                _("Keep this to %(limit)s characters at most (it has %(length)s).")
                % {"limit": limit, "length": len(value)},
            )
        return value

    def web(self, obj: dict, key: str, model, path: str, kind: str) -> str:
        value = self.text(obj, key, model, path)
        if value:
            check = URLValidator() if kind == "url" else EmailValidator()
            try:
                check(value)
            except ValidationError:
                self.problem(
                    f"{path}.{key}",
                    _("Enter a valid web address.")
                    if kind == "url"
                    else _("Enter a valid email address."),
                )
        return value

    def whole(self, obj: dict, key: str, path: str, limit: int) -> int | None:
        value = obj.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or value != int(value) or not 0 <= value <= limit:
            self.problem(
                f"{path}.{key}",
                _("This must be a whole number from 0 to %(limit)s.") % {"limit": limit},
            )
            return None
        return int(value)

    def own(self, kind: str, child_id: uuid.UUID, service_id: uuid.UUID, path: str) -> bool:
        """Claim a child id for a service; False (with a problem) if another has it."""
        seen = self.owners.get(child_id)
        if seen and seen[1] != service_id:
            self.problem(
                f"{path}.id",
                _("This id is already used by another service's %(kind)s, at %(path)s.")
                % {"kind": seen[0], "path": seen[2]},
            )
            return False
        if seen:  # the same object listed twice in one service: read it once
            return False
        self.owners[child_id] = (kind, service_id, path)
        return True

    # Objects ------------------------------------------------------------------

    def service(self, obj: dict, path: str) -> None:
        service_id = uuid.UUID(obj["id"])
        if service_id in self.plan.services:
            self.problem(f"{path}.id", _("This service id appears twice in the file."))
            return
        row = {
            "name": self.text(obj, "name", Service, path),
            "alternate_name": self.text(obj, "alternate_name", Service, path),
            "description": self.text(obj, "description", Service, path),
            "url": self.web(obj, "url", Service, path, "url"),
            "email": self.web(obj, "email", Service, path, "email"),
            "status": obj["status"],
            "eligibility_description": self.text(obj, "eligibility_description", Service, path),
            "minimum_age": self.whole(obj, "minimum_age", path, MAX_AGE),
            "maximum_age": self.whole(obj, "maximum_age", path, MAX_AGE),
            "fees_description": self.text(obj, "fees_description", Service, path),
            "application_process": self.text(obj, "application_process", Service, path),
        }
        if not row["name"]:
            self.problem(f"{path}.name", _("A service needs a name."))
        if (
            row["minimum_age"] is not None
            and row["maximum_age"] is not None
            and row["minimum_age"] > row["maximum_age"]
        ):
            self.problem(f"{path}.maximum_age", _("The maximum age is below the minimum age."))
        if isinstance(obj.get("organization"), dict):
            row["organization_id"] = self.organization(obj["organization"], f"{path}.organization")
        elif obj.get("organization_id"):
            row["organization_id"] = uuid.UUID(obj["organization_id"])
            self.organization_refs.setdefault(row["organization_id"], f"{path}.organization_id")
        else:
            self.problem(
                path,
                _(
                    "A service needs its organization: a nested organization object, or "
                    "the organization_id of one already in the directory."
                ),
            )
        self.plan.services[service_id] = row
        for i, phone in enumerate(obj.get("phones") or []):
            self.phone(phone, service_id, f"{path}.phones[{i}]")
        for i, language in enumerate(obj.get("languages") or []):
            self.language(language, service_id, f"{path}.languages[{i}]")
        for i, area in enumerate(obj.get("service_areas") or []):
            self.service_area(area, service_id, f"{path}.service_areas[{i}]")
        for i, link in enumerate(obj.get("service_at_locations") or []):
            self.service_at_location(link, service_id, row, f"{path}.service_at_locations[{i}]")
        terms_seen: set[uuid.UUID] = set()
        for i, attribute in enumerate(obj.get("attributes") or []):
            self.attribute(attribute, service_id, terms_seen, f"{path}.attributes[{i}]")

    def organization(self, obj: dict, path: str) -> uuid.UUID:
        organization_id = uuid.UUID(obj["id"])
        self.plan.organizations[organization_id] = {
            "name": self.text(obj, "name", DirectoryOrganization, path),
            "alternate_name": self.text(obj, "alternate_name", DirectoryOrganization, path),
            "description": self.text(obj, "description", DirectoryOrganization, path),
            "email": self.web(obj, "email", DirectoryOrganization, path, "email"),
            "website": self.web(obj, "website", DirectoryOrganization, path, "url"),
        }
        if not self.plan.organizations[organization_id]["name"]:
            self.problem(f"{path}.name", _("An organization needs a name."))
        for identifier in obj.get("organization_identifiers") or []:
            if identifier.get("identifier_type") == COALITION_IDENTIFIER_TYPE:
                # An identifier that is not a UUID is not one of ours: no link.
                with contextlib.suppress(ValueError):
                    self.plan.coalition_links[organization_id] = uuid.UUID(
                        str(identifier.get("identifier"))
                    )
        return organization_id

    def phone(self, obj: dict, service_id: uuid.UUID, path: str) -> None:
        phone_id = uuid.UUID(obj["id"])
        if not self.own(_("phone"), phone_id, service_id, path):
            return
        row = {
            "service_id": service_id,
            "number": self.text(obj, "number", Phone, path),
            "extension": self.whole(obj, "extension", path, 10**9),
            "type": self.text(obj, "type", Phone, path),
            "description": self.text(obj, "description", Phone, path),
        }
        if not row["number"]:
            self.problem(f"{path}.number", _("A phone needs a number."))
        self.plan.phones[phone_id] = row

    def language(self, obj: dict, service_id: uuid.UUID, path: str) -> None:
        language_id = uuid.UUID(obj["id"])
        if not self.own(_("language"), language_id, service_id, path):
            return
        code = self.text(obj, "code", Language, path).lower()
        self.plan.languages[language_id] = {
            "service_id": service_id,
            "name": self.text(obj, "name", Language, path),
            "code": LANGUAGE_ALIASES.get(code, code),
            "note": self.text(obj, "note", Language, path),
        }

    def service_area(self, obj: dict, service_id: uuid.UUID, path: str) -> None:
        area_id = uuid.UUID(obj["id"])
        if not self.own(_("service area"), area_id, service_id, path):
            return
        row = {
            "service_id": service_id,
            "name": self.text(obj, "name", ServiceArea, path),
            "description": self.text(obj, "description", ServiceArea, path),
        }
        community_areas: set[int] = set()
        for i, attribute in enumerate(obj.get("attributes") or []):
            term = attribute.get("taxonomy_term")
            if not isinstance(term, dict) or not _is_community_area_term(term):
                continue
            code = str(term.get("code") or "")
            pk = self.areas_by_number.get(int(code)) if code.isdigit() else None
            if pk is None:
                self.problem(
                    f"{path}.attributes[{i}].taxonomy_term.code",
                    _("No community area has the number %(code)s.") % {"code": code},
                )
            else:
                community_areas.add(pk)
        if not community_areas and row["name"]:
            names = [_fold(part) for part in row["name"].split(",")]
            if all(name in self.areas_by_name for name in names):
                community_areas = {self.areas_by_name[name] for name in names}
        self.plan.service_areas[area_id] = row
        self.plan.service_area_links[area_id] = community_areas

    def service_at_location(
        self, obj: dict, service_id: uuid.UUID, service_row: dict, path: str
    ) -> None:
        link_id = uuid.UUID(obj["id"])
        if not self.own(_("location link"), link_id, service_id, path):
            return
        if isinstance(obj.get("location"), dict):
            location_id = self.location(
                obj["location"], service_row.get("organization_id"), f"{path}.location"
            )
        elif obj.get("location_id"):
            location_id = uuid.UUID(obj["location_id"])
            self.location_refs.setdefault(location_id, f"{path}.location_id")
        else:
            self.problem(path, _("A service at a location needs its location."))
            return
        if any(
            row["service_id"] == service_id and row["location_id"] == location_id
            for row in self.plan.service_at_locations.values()
        ):
            return  # the same location listed twice for one service
        self.plan.service_at_locations[link_id] = {
            "service_id": service_id,
            "location_id": location_id,
            "description": self.text(obj, "description", ServiceAtLocation, path),
        }

    def location(self, obj: dict, organization_id: uuid.UUID | None, path: str) -> uuid.UUID:
        location_id = uuid.UUID(obj["id"])
        latitude, longitude = obj.get("latitude"), obj.get("longitude")
        if (latitude is None) != (longitude is None):
            self.problem(path, _("Give both the latitude and the longitude, or neither."))
            latitude = longitude = None
        if obj.get("organization_id"):
            organization_id = uuid.UUID(obj["organization_id"])
            self.organization_refs.setdefault(organization_id, f"{path}.organization_id")
        row = {
            "organization_id": organization_id,
            "location_type": obj["location_type"],
            "name": self.text(obj, "name", Location, path),
            "description": self.text(obj, "description", Location, path),
            "latitude": None if latitude is None else float(latitude),
            "longitude": None if longitude is None else float(longitude),
            "address_id": None,
            "address_1": "",
            "address_2": "",
            "city": "",
            "state_province": "",
            "postal_code": "",
            "country": "",
        }
        addresses = obj.get("addresses") or []
        if addresses:
            # PeaceHub keeps one address: the physical one when there is one.
            index, address = next(
                ((i, a) for i, a in enumerate(addresses) if a.get("address_type") == "physical"),
                (0, addresses[0]),
            )
            address_path = f"{path}.addresses[{index}]"
            row["address_id"] = uuid.UUID(address["id"])
            for key in ("address_1", "address_2", "city", "state_province", "postal_code"):
                row[key] = self.text(address, key, Location, address_path)
            row["country"] = self.text(address, "country", Location, address_path).upper()
        row["community_area_id"] = self.locator.area_id(row["latitude"], row["longitude"])
        self.plan.locations[location_id] = row
        return location_id

    def attribute(
        self, obj: dict, service_id: uuid.UUID, terms_seen: set[uuid.UUID], path: str
    ) -> None:
        attribute_id = uuid.UUID(obj["id"])
        if isinstance(obj.get("taxonomy_term"), dict):
            term_id = self.term(obj["taxonomy_term"], f"{path}.taxonomy_term")
        elif obj.get("taxonomy_term_id"):
            term_id = uuid.UUID(obj["taxonomy_term_id"])
            self.term_refs.setdefault(term_id, f"{path}.taxonomy_term_id")
        else:
            return  # an attribute without a term (a bare value): not kept
        if term_id is None or term_id in terms_seen:
            return
        if not self.own(_("attribute"), attribute_id, service_id, path):
            return
        terms_seen.add(term_id)
        self.plan.attributes[attribute_id] = {
            "service_id": service_id,
            "taxonomy_term_id": term_id,
            "value": self.text(obj, "value", Attribute, path),
        }

    def term(self, obj: dict, path: str) -> uuid.UUID | None:
        term_id = uuid.UUID(obj["id"])
        detail = obj.get("taxonomy_detail") if isinstance(obj.get("taxonomy_detail"), dict) else {}
        taxonomy_id = uuid.UUID(detail["id"]) if detail.get("id") else None
        if taxonomy_id is None and obj.get("taxonomy_id"):
            taxonomy_id = uuid.UUID(obj["taxonomy_id"])
        if term_id in _needs_term_ids() or taxonomy_id == NEEDS_TAXONOMY_ID:
            # The needs vocabulary is PeaceHub's own: matched by code, never changed.
            code = str(obj.get("code") or "")
            if code not in Domain.values:
                self.problem(
                    f"{path}.code",
                    _("“%(code)s” is not a need PeaceHub knows.") % {"code": code},
                )
                return None
            return need_term_id(code)
        if detail:
            self.plan.taxonomies[taxonomy_id] = {
                "name": self.text(detail, "name", Taxonomy, f"{path}.taxonomy_detail"),
                "description": self.text(
                    detail, "description", Taxonomy, f"{path}.taxonomy_detail"
                ),
                "uri": self.web(detail, "uri", Taxonomy, f"{path}.taxonomy_detail", "url"),
                "version": self.text(detail, "version", Taxonomy, f"{path}.taxonomy_detail"),
            }
        elif taxonomy_id is not None:
            self.taxonomy_refs[term_id] = taxonomy_id
        elif obj.get("taxonomy"):
            # Only a taxonomy's name: one taxonomy per name, with an id derived from it.
            name = self.text(obj, "taxonomy", Taxonomy, path, field_name="name")
            taxonomy_id = uuid.uuid5(DIRECTORY_NAMESPACE, f"taxonomy/{name}")
            self.plan.taxonomies.setdefault(
                taxonomy_id, {"name": name, "description": "", "uri": "", "version": ""}
            )
        parent = obj.get("parent_id")
        self.plan.terms[term_id] = {
            "taxonomy_id": taxonomy_id,
            "code": self.text(obj, "code", TaxonomyTerm, path),
            "name": self.text(obj, "name", TaxonomyTerm, path),
            "description": self.text(obj, "description", TaxonomyTerm, path),
            "parent_id": uuid.UUID(parent) if parent else None,
        }
        return term_id

    # References ---------------------------------------------------------------

    def check_references(self) -> None:
        """Ids that point outside the file must exist in the directory."""
        missing = set(self.organization_refs) - set(self.plan.organizations)
        known = set(
            DirectoryOrganization.objects.filter(pk__in=missing).values_list("pk", flat=True)
        )
        for organization_id in sorted(missing - known, key=str):
            self.problem(
                self.organization_refs[organization_id],
                _("No organization with this id is in the file or the directory."),
            )
        missing = set(self.location_refs) - set(self.plan.locations)
        known = set(Location.objects.filter(pk__in=missing).values_list("pk", flat=True))
        for location_id in sorted(missing - known, key=str):
            self.problem(
                self.location_refs[location_id],
                _("No location with this id is in the file or the directory."),
            )
        missing = set(self.term_refs) - set(self.plan.terms) - _needs_term_ids()
        known = set(TaxonomyTerm.objects.filter(pk__in=missing).values_list("pk", flat=True))
        for term_id in sorted(missing - known, key=str):
            self.problem(
                self.term_refs[term_id],
                _("No taxonomy term with this id is in the file or the directory."),
            )
        # A term naming a taxonomy that exists nowhere keeps no taxonomy.
        known = set(
            Taxonomy.objects.filter(pk__in=set(self.taxonomy_refs.values())).values_list(
                "pk", flat=True
            )
        ) | set(self.plan.taxonomies)
        for term_id, taxonomy_id in self.taxonomy_refs.items():
            if taxonomy_id not in known and term_id in self.plan.terms:
                self.plan.terms[term_id]["taxonomy_id"] = None


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


@cache
def _needs_term_ids() -> frozenset[uuid.UUID]:
    return frozenset(need_term_id(code) for code in Domain.values)


def _is_community_area_term(term: dict) -> bool:
    detail = term.get("taxonomy_detail") if isinstance(term.get("taxonomy_detail"), dict) else {}
    return (
        detail.get("id") == str(COMMUNITY_AREA_TAXONOMY_ID)
        or term.get("taxonomy_id") == str(COMMUNITY_AREA_TAXONOMY_ID)
        or term.get("taxonomy") == COMMUNITY_AREA_TAXONOMY_NAME
    )


def import_plan(data: Any) -> ImportPlan:
    """Check a parsed import file and read it into rows. Raises ImportInvalid with
    every problem found when anything is wrong: the schema is checked first, and an
    object that breaks it is not read further."""
    if not isinstance(data, list):
        raise ImportInvalid(
            [Problem("$", _("The file must hold a JSON array of HSDS service objects."))]
        )
    problems: list[Problem] = []
    valid = []
    for index, obj in enumerate(data):
        found = schema_problems(obj, "service", f"$[{index}]")
        problems += found
        if not found:
            valid.append((index, obj))
    reader = _Reader()
    for index, obj in valid:
        reader.service(obj, f"$[{index}]")
    reader.check_references()
    problems += reader.problems
    if problems:
        raise ImportInvalid(problems)
    return reader.plan


class _NotJson(ValueError):
    pass


def _reject_constant(name: str):
    # NaN and Infinity are not JSON, though Python's parser accepts them.
    raise _NotJson(name)


def read_json(raw: bytes | str) -> Any:
    """Parse an uploaded or read file; ImportInvalid when it is not JSON."""
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        where = _("line %(line)s, column %(column)s") % {
            "line": error.lineno,
            "column": error.colno,
        }
    except UnicodeDecodeError:
        where = _("its encoding (use UTF-8)")
    except _NotJson as error:
        where = _("the value %(value)s") % {"value": error}
    except RecursionError:
        where = _("its nesting, which is too deep")
    raise ImportInvalid(
        [Problem("$", _("The file is not valid JSON: see %(where)s.") % {"where": where})]
    )


# --- Writing HSDS -----------------------------------------------------------------


def _some(**values) -> dict:
    """The values that are set: HSDS leaves an unknown property out rather than empty."""
    return {k: v for k, v in values.items() if v not in (None, "")}


def _timestamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def organization_to_hsds(organization: DirectoryOrganization) -> dict:
    data = {
        "id": str(organization.pk),
        "name": organization.name,
        "description": organization.description,
        **_some(
            alternate_name=organization.alternate_name,
            email=organization.email,
            website=organization.website,
        ),
    }
    if organization.organization_id:
        data["organization_identifiers"] = [
            {
                "id": str(
                    uuid.uuid5(DIRECTORY_NAMESPACE, f"coalition-identifier/{organization.pk}")
                ),
                "organization_id": str(organization.pk),
                "identifier_type": COALITION_IDENTIFIER_TYPE,
                "identifier": str(organization.organization_id),
            }
        ]
    return data


def taxonomy_to_hsds(taxonomy: Taxonomy) -> dict:
    return {
        "id": str(taxonomy.pk),
        "name": taxonomy.name,
        "description": taxonomy.description,
        **_some(uri=taxonomy.uri, version=taxonomy.version),
    }


def term_to_hsds(term: TaxonomyTerm) -> dict:
    data = {
        "id": str(term.pk),
        "name": term.name,
        "description": term.description,
        **_some(code=term.code, parent_id=str(term.parent_id) if term.parent_id else None),
    }
    if term.taxonomy_id:
        data["taxonomy"] = term.taxonomy.name
        data["taxonomy_id"] = str(term.taxonomy_id)
        data["taxonomy_detail"] = taxonomy_to_hsds(term.taxonomy)
    return data


def _community_area_attribute(service_area: ServiceArea, area: CommunityArea) -> dict:
    return {
        "id": str(uuid.uuid5(DIRECTORY_NAMESPACE, f"service-area/{service_area.pk}/{area.number}")),
        "link_id": str(service_area.pk),
        "link_entity": "service_area",
        "taxonomy_term_id": str(uuid.uuid5(DIRECTORY_NAMESPACE, f"community-area/{area.number}")),
        "taxonomy_term": {
            "id": str(uuid.uuid5(DIRECTORY_NAMESPACE, f"community-area/{area.number}")),
            "code": str(area.number),
            "name": area.name,
            "description": f"Community area {area.number}: {area.name}",
            "taxonomy": COMMUNITY_AREA_TAXONOMY_NAME,
            "taxonomy_id": str(COMMUNITY_AREA_TAXONOMY_ID),
            "taxonomy_detail": {
                "id": str(COMMUNITY_AREA_TAXONOMY_ID),
                "name": COMMUNITY_AREA_TAXONOMY_NAME,
                "description": "The community areas of the city PeaceHub serves, by number.",
            },
        },
    }


def location_to_hsds(location: Location) -> dict:
    data = {
        "id": str(location.pk),
        "location_type": location.location_type,
        **_some(
            organization_id=str(location.organization_id) if location.organization_id else None,
            name=location.name,
            description=location.description,
            latitude=location.latitude,
            longitude=location.longitude,
        ),
    }
    address_fields = ("address_1", "address_2", "city", "state_province", "postal_code")
    if any(getattr(location, f) for f in address_fields):
        address = {
            "id": str(location.address_id or address_id_for(location.pk)),
            "location_id": str(location.pk),
            "address_1": location.address_1,
            "city": location.city,
            "state_province": location.state_province,
            "postal_code": location.postal_code,
            "country": location.country,
            "address_type": "postal"
            if location.location_type == LocationType.POSTAL
            else "physical",
        }
        if location.address_2:
            address["address_2"] = location.address_2
        data["addresses"] = [address]
    return data


def address_id_for(location_id: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(DIRECTORY_NAMESPACE, f"address/{location_id}")


def services_for_export():
    """Services with everything an HSDS object needs, in a fixed number of queries."""
    return (
        Service.objects.select_related("organization")
        .prefetch_related(
            "phones",
            "languages",
            "service_areas__community_areas",
            "service_at_locations__location",
            "attributes__taxonomy_term__taxonomy",
        )
        .order_by("name", "id")
    )


def service_to_hsds(service: Service) -> dict:
    """One HSDS 3.0 service object, in the full nested shape; it validates against
    service.json (a test checks it)."""
    data = {
        "id": str(service.pk),
        "name": service.name,
        "description": service.description,
        "status": service.status,
        **_some(
            alternate_name=service.alternate_name,
            url=service.url,
            email=service.email,
            eligibility_description=service.eligibility_description,
            minimum_age=service.minimum_age,
            maximum_age=service.maximum_age,
            fees_description=service.fees_description,
            application_process=service.application_process,
        ),
        "last_modified": _timestamp(service.updated_at),
        "organization": organization_to_hsds(service.organization),
        "phones": [
            {
                "id": str(phone.pk),
                "service_id": str(service.pk),
                "number": phone.number,
                **_some(extension=phone.extension, type=phone.type, description=phone.description),
            }
            for phone in sorted(service.phones.all(), key=lambda p: (p.number, str(p.pk)))
        ],
        "languages": [
            {
                "id": str(language.pk),
                "service_id": str(service.pk),
                **_some(name=language.name, code=language.code, note=language.note),
            }
            for language in sorted(service.languages.all(), key=lambda x: (x.code, str(x.pk)))
        ],
        "service_areas": [
            {
                "id": str(area.pk),
                "service_id": str(service.pk),
                **_some(name=area.name, description=area.description),
                "attributes": [
                    _community_area_attribute(area, community_area)
                    for community_area in sorted(area.community_areas.all(), key=lambda a: a.number)
                ],
            }
            for area in sorted(service.service_areas.all(), key=lambda a: str(a.pk))
        ],
        "service_at_locations": [
            {
                "id": str(link.pk),
                "service_id": str(service.pk),
                "location_id": str(link.location_id),
                **_some(description=link.description),
                "location": location_to_hsds(link.location),
            }
            for link in sorted(service.service_at_locations.all(), key=lambda x: str(x.pk))
        ],
        "attributes": [
            {
                "id": str(attribute.pk),
                "link_id": str(service.pk),
                "link_entity": "service",
                "taxonomy_term_id": str(attribute.taxonomy_term_id),
                **_some(value=attribute.value),
                "taxonomy_term": term_to_hsds(attribute.taxonomy_term),
            }
            for attribute in sorted(
                service.attributes.all(), key=lambda a: (a.taxonomy_term.name, str(a.pk))
            )
        ],
    }
    return data


def directory_export() -> list[dict]:
    return [service_to_hsds(service) for service in services_for_export()]
