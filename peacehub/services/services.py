"""Every write to the service directory, inside one transaction, with its audit event.
The directory holds no person; its changes are audited all the same, as everything
staff change is.

Audit events name the record by type and id and carry the PeaceHub organization the
record belongs to (empty for services outside the coalition), never a directory
organization's id, so that the log's organization column keeps one meaning.
"""

import re
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone, translation

from peacehub.accounts.models import Organization
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_event_record, client_ip
from peacehub.cases.domains import Domain
from peacehub.services.hsds import (
    AreaLocator,
    ImportPlan,
    address_id_for,
    import_plan,
)
from peacehub.services.models import (
    NEEDS_TAXONOMY_ID,
    NEEDS_TAXONOMY_NAME,
    Attribute,
    DirectoryOrganization,
    Language,
    LanguageCode,
    Location,
    Phone,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceWord,
    Taxonomy,
    TaxonomyTerm,
    need_term_id,
)

BATCH_SIZE = 500
SERVICE_FIELDS = (
    "organization",
    "name",
    "alternate_name",
    "description",
    "status",
    "eligibility_description",
    "minimum_age",
    "maximum_age",
    "fees_description",
    "application_process",
    "url",
    "email",
)
LOCATION_FIELDS = (
    "name",
    "location_type",
    "description",
    "address_1",
    "address_2",
    "city",
    "state_province",
    "postal_code",
    "latitude",
    "longitude",
)
ORGANIZATION_FIELDS = ("name", "alternate_name", "description", "email", "website", "organization")


def _audit(request, action: AuditAction, record, *, actor=None, organization_id=None, **detail):
    if organization_id is None:
        organization_id = _coalition_organization_id(record)
    return audit_event_record(
        actor=request.user if request is not None else actor,
        action=action,
        record_type=record._meta.label_lower,
        record_id=str(record.pk),
        organization_id=str(organization_id or ""),
        ip_address=client_ip(request),
        detail=detail or None,
    )


def _coalition_organization_id(record) -> uuid.UUID | None:
    if isinstance(record, DirectoryOrganization):
        return record.organization_id
    if isinstance(record, Service):
        return record.organization.organization_id
    return None


# --- The needs taxonomy -----------------------------------------------------------


def needs_taxonomy_ensure() -> None:
    """The "peacehub-needs" taxonomy, one term per Domain, named in English (the
    screens show Domain's translated labels). Idempotent: it adds what is missing and
    follows a relabelled Domain."""
    with translation.override("en"):
        Taxonomy.objects.update_or_create(
            pk=NEEDS_TAXONOMY_ID,
            defaults={
                "name": NEEDS_TAXONOMY_NAME,
                "description": "The needs that PeaceHub's assessments, service plans and "
                "service directory share.",
            },
        )
        existing = {t.pk: t for t in TaxonomyTerm.objects.filter(taxonomy_id=NEEDS_TAXONOMY_ID)}
        for domain in Domain:
            term_id, name = need_term_id(domain.value), str(domain.label)
            term = existing.get(term_id)
            if term is None:
                TaxonomyTerm.objects.create(
                    pk=term_id,
                    taxonomy_id=NEEDS_TAXONOMY_ID,
                    code=domain.value,
                    name=name,
                    description=f"Services that meet a need in this domain: {name}.",
                )
            elif term.name != name:
                term.name = name
                term.save(update_fields=["name"])


# --- The word index ---------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+")
# A dotted acronym, "H.O.P.E." or "G.E.D": one word, so that "hope" finds it (its
# letters alone are too short to be indexed).
_DOTTED_ACRONYM = re.compile(r"(?<![a-z0-9])[a-z](?:\.[a-z])+\.?(?![a-z0-9])")
WORD_LENGTH = ServiceWord._meta.get_field("word").max_length


def text_words(text: str) -> list[str]:
    """Lower-case words without accents: "Atención médica" -> ["atencion", "medica"];
    a dotted acronym is one word: "H.O.P.E. program" -> ["hope", "program"]."""
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    folded = _DOTTED_ACRONYM.sub(lambda m: m.group().replace(".", ""), folded)
    return [w[:WORD_LENGTH] for w in _WORD.findall(folded)]


def service_words_refresh(service_ids: Iterable[uuid.UUID]) -> None:
    """Rebuild the search words of these services (see peacehub.services.search)."""
    ids = list(service_ids)
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        ServiceWord.objects.filter(service_id__in=batch).delete()
        rows = []
        for service in Service.objects.filter(pk__in=batch).select_related("organization"):
            texts = (
                service.name,
                service.alternate_name,
                service.description,
                service.organization.name,
                service.organization.alternate_name,
            )
            found = {w for text in texts for w in text_words(text) if len(w) > 1}
            rows += [ServiceWord(service_id=service.pk, word=w) for w in sorted(found)]
        ServiceWord.objects.bulk_create(rows, batch_size=BATCH_SIZE)


# --- HSDS import ------------------------------------------------------------------


@dataclass
class ImportResult:
    services_created: int = 0
    services_updated: int = 0
    services_unchanged: int = 0
    # Model label -> rows created, changed or removed.
    rows_changed: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.rows_changed.values())


def _upsert(model, rows: dict[uuid.UUID, dict], *, update: bool, now=None) -> tuple[set, set]:
    """Create the rows that are missing; with ``update``, change those that differ.
    Returns (created ids, changed ids)."""
    existing = model.objects.in_bulk(list(rows)) if rows else {}
    new, changed, fields = [], [], set()
    for pk, values in rows.items():
        record = existing.get(pk)
        if record is None:
            extra = {"updated_at": now} if now and hasattr(model, "updated_at") else {}
            new.append(model(pk=pk, **values, **extra))
            continue
        if not update:
            continue
        different = [name for name, value in values.items() if getattr(record, name) != value]
        if different:
            for name in different:
                setattr(record, name, values[name])
            if now and hasattr(model, "updated_at"):
                record.updated_at = now
                different.append("updated_at")
            changed.append(record)
            fields.update(different)
    model.objects.bulk_create(new, batch_size=BATCH_SIZE)
    if changed:
        model.objects.bulk_update(changed, sorted(fields), batch_size=BATCH_SIZE)
    return {r.pk for r in new}, {r.pk for r in changed}


def _prune(model, service_ids: list[uuid.UUID], keep: set[uuid.UUID]) -> set[uuid.UUID]:
    """Remove the children of these services that the file no longer lists; returns
    the services that lost one."""
    stale: dict[uuid.UUID, uuid.UUID] = {}
    for start in range(0, len(service_ids), BATCH_SIZE):
        rows = model.objects.filter(
            service_id__in=service_ids[start : start + BATCH_SIZE]
        ).values_list("pk", "service_id")
        stale |= {pk: service_id for pk, service_id in rows if pk not in keep}
    ids = list(stale)
    for start in range(0, len(ids), BATCH_SIZE):
        model.objects.filter(pk__in=ids[start : start + BATCH_SIZE]).delete()
    return set(stale.values())


def _only_new(plan: ImportPlan) -> ImportPlan:
    """The part of a plan that adds services the directory does not have yet."""
    existing = set(Service.objects.filter(pk__in=list(plan.services)).values_list("pk", flat=True))
    new_services = {pk: row for pk, row in plan.services.items() if pk not in existing}

    def children(rows: dict) -> dict:
        return {pk: row for pk, row in rows.items() if row["service_id"] in new_services}

    areas = children(plan.service_areas)
    return ImportPlan(
        organizations=plan.organizations,
        coalition_links=plan.coalition_links,
        services=new_services,
        taxonomies=plan.taxonomies,
        terms=plan.terms,
        locations=plan.locations,
        phones=children(plan.phones),
        languages=children(plan.languages),
        service_areas=areas,
        service_area_links={pk: plan.service_area_links[pk] for pk in areas},
        service_at_locations=children(plan.service_at_locations),
        attributes=children(plan.attributes),
    )


def _coalition_links_apply(plan: ImportPlan, *, update: bool, created: set) -> set:
    """Link directory organizations to the coalition organizations the file names (a
    file that names none leaves a link made on PeaceHub as it is)."""
    known = set(
        Organization.objects.filter(pk__in=set(plan.coalition_links.values())).values_list(
            "pk", flat=True
        )
    )
    changed = set()
    for organization_id, member_id in plan.coalition_links.items():
        if member_id not in known or (not update and organization_id not in created):
            continue
        updated = (
            DirectoryOrganization.objects.filter(pk=organization_id)
            .exclude(organization_id=member_id)
            .update(organization_id=member_id)
        )
        if updated:
            changed.add(organization_id)
    return changed


@transaction.atomic
def hsds_import(
    *, data: Any, request=None, actor=None, update_existing: bool = True
) -> ImportResult:
    """Upsert a parsed HSDS file (a JSON array of service objects, full nested shape)
    by HSDS id. The whole file is validated first (ImportInvalid, with every problem,
    when anything is wrong: nothing is written). A service's phones, languages, service
    areas, locations and categories become exactly those of the file. Importing the
    same file twice changes nothing. With ``update_existing=False`` only what is
    missing is added (the demo seed)."""
    plan = import_plan(data)
    needs_taxonomy_ensure()
    update = update_existing
    if not update:
        plan = _only_new(plan)
    now = timezone.now()
    result = ImportResult()
    service_ids = list(plan.services)

    # Children the file no longer lists go first, so that a term or a location moved
    # to a new id cannot collide with the old row.
    counts: dict[str, int] = {}
    pruned: set[uuid.UUID] = set()
    if update:
        for model, rows in (
            (Phone, plan.phones),
            (Language, plan.languages),
            (ServiceArea, plan.service_areas),
            (ServiceAtLocation, plan.service_at_locations),
            (Attribute, plan.attributes),
        ):
            pruned |= _prune(model, service_ids, set(rows))
        counts["services_with_children_removed"] = len(pruned)

    created_orgs, changed_orgs = _upsert(
        DirectoryOrganization, plan.organizations, update=update, now=now
    )
    changed_orgs |= _coalition_links_apply(plan, update=update, created=created_orgs)
    counts["organizations"] = len(created_orgs) + len(changed_orgs)
    counts["taxonomies"] = sum(map(len, _upsert(Taxonomy, plan.taxonomies, update=update)))
    counts["terms"] = sum(map(len, _upsert(TaxonomyTerm, plan.terms, update=update)))
    new_locations, moved_locations = _upsert(Location, plan.locations, update=update)
    counts["locations"] = len(new_locations) + len(moved_locations)
    created, changed = _upsert(Service, plan.services, update=update, now=now)
    counts["services"] = len(created) + len(changed)
    # A service is changed when one of its own rows is, or a place it is offered at.
    touched = set(created) | set(changed) | pruned
    touched |= {
        link["service_id"]
        for link in plan.service_at_locations.values()
        if link["location_id"] in moved_locations
    }
    for label, model, rows in (
        ("phones", Phone, plan.phones),
        ("languages", Language, plan.languages),
        ("service_areas", ServiceArea, plan.service_areas),
        ("service_at_locations", ServiceAtLocation, plan.service_at_locations),
        ("attributes", Attribute, plan.attributes),
    ):
        new, different = _upsert(model, rows, update=update)
        counts[label] = len(new) + len(different)
        touched |= {rows[pk]["service_id"] for pk in new | different}
    relinked = _service_area_links_apply(plan.service_area_links)
    counts["community_areas"] = len(relinked)
    touched |= {plan.service_areas[pk]["service_id"] for pk in relinked}

    # A changed organization name changes its services' search words.
    word_services = touched | set(
        Service.objects.filter(organization_id__in=changed_orgs).values_list("pk", flat=True)
    )
    service_words_refresh(word_services)
    # A service whose children alone changed is changed too: its last_modified moves.
    Service.objects.filter(pk__in=list(touched - set(created) - set(changed))).update(
        updated_at=now
    )

    result.services_created = len(created)
    result.services_updated = len(touched - set(created))
    result.services_unchanged = len(data) - result.services_created - result.services_updated
    result.rows_changed = counts
    if result.changed:
        audit_event_record(
            actor=request.user if request is not None else actor,
            action=AuditAction.UPDATE if result.services_updated else AuditAction.CREATE,
            record_type="services.hsds_import",
            ip_address=client_ip(request),
            detail={
                "services_in_file": len(data),
                "services_created": result.services_created,
                "services_updated": result.services_updated,
                **{f"rows_{k}": v for k, v in counts.items()},
            },
        )
    return result


def _service_area_links_apply(links: dict[uuid.UUID, set[int]]) -> set[uuid.UUID]:
    """Set each service area's community areas; returns the service areas changed."""
    through = ServiceArea.community_areas.through
    area_ids = list(links)
    existing: set[tuple[uuid.UUID, int]] = set()
    for start in range(0, len(area_ids), BATCH_SIZE):
        existing |= set(
            through.objects.filter(
                servicearea_id__in=area_ids[start : start + BATCH_SIZE]
            ).values_list("servicearea_id", "communityarea_id")
        )
    wanted = {(area_id, pk) for area_id, pks in links.items() for pk in pks}
    stale, missing = existing - wanted, wanted - existing
    for area_id, pk in stale:
        through.objects.filter(servicearea_id=area_id, communityarea_id=pk).delete()
    through.objects.bulk_create(
        [through(servicearea_id=a, communityarea_id=c) for a, c in missing],
        batch_size=BATCH_SIZE,
    )
    return {area_id for area_id, _ in stale | missing}


# --- Services, by hand ------------------------------------------------------------


def _set_needs(service: Service, codes: list[str]) -> bool:
    wanted = {need_term_id(code) for code in codes}
    needs = {
        a.taxonomy_term_id: a
        for a in service.attributes.filter(taxonomy_term__taxonomy_id=NEEDS_TAXONOMY_ID)
    }
    stale = [a.pk for term_id, a in needs.items() if term_id not in wanted]
    Attribute.objects.filter(pk__in=stale).delete()
    Attribute.objects.bulk_create(
        [Attribute(service=service, taxonomy_term_id=t) for t in wanted - set(needs)]
    )
    return bool(stale) or bool(wanted - set(needs))


def _set_languages(service: Service, codes: list[str]) -> bool:
    """The offered languages become ``codes``; languages an import brought with codes
    the form does not offer stay."""
    offered = set(LanguageCode.values)
    current = {x.code: x for x in service.languages.all() if x.code in offered}
    stale = [x.pk for code, x in current.items() if code not in codes]
    Language.objects.filter(pk__in=stale).delete()
    with translation.override("en"):
        Language.objects.bulk_create(
            [
                Language(service=service, code=code, name=str(LanguageCode(code).label))
                for code in codes
                if code not in current
            ]
        )
    return bool(stale) or bool(set(codes) - set(current))


def _set_areas(service: Service, areas) -> bool:
    """One service area holds the chosen community areas; a service area described in
    words only (no community area) stays as it is."""
    wanted = {a.pk for a in areas}
    with_areas = [
        sa
        for sa in service.service_areas.prefetch_related("community_areas")
        if sa.community_areas.all()
    ]
    current = {a.pk for sa in with_areas for a in sa.community_areas.all()}
    if current == wanted:
        return False
    keep = with_areas[0] if with_areas else None
    ServiceArea.objects.filter(pk__in=[sa.pk for sa in with_areas[1:]]).delete()
    if not wanted:
        if keep is not None:
            keep.delete()
        return True
    name = ", ".join(sorted(a.name for a in areas))
    name = name[: ServiceArea._meta.get_field("name").max_length]
    if keep is None:
        keep = ServiceArea.objects.create(service=service, name=name)
    elif keep.name != name:
        keep.name = name
        keep.save(update_fields=["name"])
    keep.community_areas.set(list(areas))
    return True


def _set_phone(service: Service, number: str) -> bool:
    main = service.phones.order_by("number", "id").first()
    if not number:
        if main is None:
            return False
        main.delete()
        return True
    if main is None:
        Phone.objects.create(service=service, number=number, type="voice")
        return True
    if main.number == number:
        return False
    main.number = number
    main.save(update_fields=["number"])
    return True


def _apply_related(service: Service, data: dict[str, Any]) -> list[str]:
    changed = []
    if _set_needs(service, data.get("needs") or []):
        changed.append("needs")
    if _set_languages(service, data.get("languages") or []):
        changed.append("languages")
    if _set_areas(service, data.get("community_areas") or []):
        changed.append("community_areas")
    if _set_phone(service, data.get("phone") or ""):
        changed.append("phone")
    return changed


@transaction.atomic
def service_create(*, request, data: dict[str, Any]) -> Service:
    needs_taxonomy_ensure()
    service = Service.objects.create(**{f: data[f] for f in SERVICE_FIELDS if f in data})
    _apply_related(service, data)
    service_words_refresh([service.pk])
    _audit(request, AuditAction.CREATE, service)
    return service


@transaction.atomic
def service_update(*, request, service: Service, data: dict[str, Any]) -> Service:
    needs_taxonomy_ensure()
    changed = [f for f in SERVICE_FIELDS if f in data and getattr(service, f) != data[f]]
    for name in changed:
        setattr(service, name, data[name])
    changed += _apply_related(service, data)
    if changed:
        service.updated_at = timezone.now()
        service.save(update_fields=[f for f in changed if f in SERVICE_FIELDS] + ["updated_at"])
        service_words_refresh([service.pk])
        _audit(request, AuditAction.UPDATE, service, fields=changed)
    return service


@transaction.atomic
def location_save(
    *, request, service: Service, data: dict[str, Any], location: Location | None = None
) -> Location:
    """Add a location to a service, or change one of its locations. The community
    area comes from the coordinates."""
    creating = location is None
    if creating:
        location = Location(organization_id=service.organization_id)
    changed = [f for f in LOCATION_FIELDS if getattr(location, f) != data.get(f, "")]
    for name in LOCATION_FIELDS:
        setattr(location, name, data.get(name, getattr(location, name)))
    location.community_area_id = AreaLocator().area_id(location.latitude, location.longitude)
    if location.address_1 and location.address_id is None:
        location.address_id = address_id_for(location.pk)
    location.save()
    if creating:
        ServiceAtLocation.objects.create(service=service, location=location)
        _audit(
            request,
            AuditAction.CREATE,
            location,
            organization_id=_coalition_organization_id(service),
            service=str(service.pk),
        )
    elif changed:
        _audit(
            request,
            AuditAction.UPDATE,
            location,
            organization_id=_coalition_organization_id(service),
            fields=changed,
        )
    Service.objects.filter(pk=service.pk).update(updated_at=timezone.now())
    return location


@transaction.atomic
def service_location_remove(*, request, service: Service, location: Location) -> None:
    """The service is no longer offered there; a place no service uses is removed."""
    ServiceAtLocation.objects.filter(service=service, location=location).delete()
    removed = not location.service_at_locations.exists()
    _audit(
        request,
        AuditAction.DELETE,
        location,
        organization_id=_coalition_organization_id(service),
        service=str(service.pk),
        location_removed=removed,
    )
    if removed:
        location.delete()
    Service.objects.filter(pk=service.pk).update(updated_at=timezone.now())


# --- Directory organizations ------------------------------------------------------


@transaction.atomic
def directory_organization_save(
    *, request, data: dict[str, Any], organization: DirectoryOrganization | None = None
) -> DirectoryOrganization:
    creating = organization is None
    if creating:
        organization = DirectoryOrganization()
    changed = [f for f in ORGANIZATION_FIELDS if f in data and getattr(organization, f) != data[f]]
    for name in changed:
        setattr(organization, name, data[name])
    if creating or changed:
        organization.updated_at = timezone.now()
        organization.save()
        _audit(
            request,
            AuditAction.CREATE if creating else AuditAction.UPDATE,
            organization,
            fields=changed,
        )
    if not creating and {"name", "alternate_name"} & set(changed):
        service_words_refresh(organization.services.values_list("pk", flat=True))
    return organization


@transaction.atomic
def directory_organization_for_member(
    *, request, organization: Organization
) -> DirectoryOrganization:
    """A coalition organization's own entry in the directory, linked so that its
    services can receive referrals; created named after it when it has none."""
    entry = DirectoryOrganization.objects.filter(organization=organization).first()
    if entry is None:
        entry = DirectoryOrganization.objects.create(
            name=organization.name, organization=organization
        )
        _audit(request, AuditAction.CREATE, entry)
    return entry
