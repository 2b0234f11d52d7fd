"""The demo coalition: one convener, 15 partner organizations, 4 service providers and
their staff. Every organization and every staff member is invented.

Focus areas. The coalition works in 28 of Chicago's 77 community areas. The demo takes
the 28 with the highest "Assault (Homicide)" rate in the Chicago Department of Public
Health's "Selected public health indicators by Chicago community area" (real public
data, age-adjusted deaths per 100,000, multi-year averages of about 2005-2011; see
data/chicago_community_areas/SOURCES.md). Homicide is the harm the coalition exists to
reduce, so this is the most defensible public stand-in for where it would work; the
real coalition's list is its own decision and is not reproduced here.

Organizations. The names are made up and deliberately unlike any real Chicago
organization; the areas each partner serves are hard-coded, so that the coalition reads
like a real one (neighbouring areas together, a few areas served by two partners), and
`coalition_check` verifies at run time that together they cover exactly the computed
focus areas. The intimate-partner-violence program serves the four pilot areas named in
DESIGN.md; the other providers serve every focus area.

Staff. The base roster (`staff_roster`) has every role once or a few times; its names
come from peacehub.demo.names with a fixed random seed, so it never changes and the
well-known demo sign-ins keep their organizations. Outreach workers and case managers
then grow with the participants (see peacehub.demo.caseloads): every partner has a
grid of caseload slots, one column per area it serves, and each slot is one staff
member, the base roster's first and invented ones (`slot_member`) after that. A slot's
staff member never depends on the number of participants, so a larger demo only adds
staff. `--seed` varies only the participants. Every demo account has the same
password, `DEMO_PASSWORD`, and an address under `demo.peacehub.test` (a reserved
top-level domain: no mail can ever be delivered there).
"""

import csv
import random
import unicodedata
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password

from peacehub.accounts.models import Membership, Organization, User
from peacehub.accounts.roles import Role
from peacehub.accounts.services import CONVENER_ONLY_ROLES
from peacehub.demo import names
from peacehub.geo.models import CommunityArea
from peacehub.geo.services import community_areas_load, focus_areas_set

# Every demo row's id is a uuid5 in this namespace, so a second run finds the first
# run's rows instead of adding new ones.
DEMO_NAMESPACE = uuid.UUID("8b5be06d-3aa5-59bf-9e18-dbb96f660932")
DEMO_PASSWORD = "peace-demo-2026"  # noqa: S105 (a published demo password, by design)
DEMO_EMAIL_DOMAIN = "demo.peacehub.test"

FOCUS_AREA_COUNT = 28
HEALTH_INDICATORS_CSV = (
    Path(settings.BASE_DIR)
    / "data"
    / "chicago_community_areas"
    / "public_health_indicators_by_community_area.csv"
)
# West Englewood, Englewood, Chicago Lawn, South Chicago: the IPV pilot (DESIGN.md).
IPV_PILOT_AREAS = (67, 68, 66, 46)


def demo_id(name: str) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, name)


@dataclass(frozen=True)
class PartnerSpec:
    name: str
    slug: str
    areas: tuple[int, ...]
    # Relative share of the coalition's participants: partners differ in size.
    weight: int
    # Share of participants with Latino names, following the areas served.
    latino_share: float


@dataclass(frozen=True)
class ProviderSpec:
    name: str
    slug: str
    specialist: Role
    specialists: int
    # None: every focus area.
    areas: tuple[int, ...] | None
    # How often a participant's sharing consent names this provider.
    share_weight: int


CONVENER_NAME = "Metro Peace Alliance"
CONVENER_SLUG = "metro-peace"

PARTNERS = (
    PartnerSpec("Lantern Street Outreach", "lantern-street", (68, 67), 14, 0.25),
    PartnerSpec("Open Hands West", "open-hands", (25,), 11, 0.30),
    PartnerSpec("Garfield Commons Collective", "garfield-commons", (26, 27), 9, 0.25),
    PartnerSpec("Ogden Avenue Lifeline", "ogden-lifeline", (29,), 9, 0.35),
    PartnerSpec("Bronzeville Lamplighters", "lamplighters", (38, 40, 37), 7, 0.15),
    PartnerSpec("Kinship Corner Alliance", "kinship-corner", (69, 44, 45), 7, 0.15),
    PartnerSpec("Roseland Harvest Outreach", "roseland-harvest", (49, 73), 6, 0.15),
    PartnerSpec("Riverbend Peace Workers", "riverbend", (54, 50, 53), 6, 0.20),
    PartnerSpec("Lakefront Steady Hands", "steady-hands", (43, 46), 6, 0.50),
    PartnerSpec("Paseo de Paz Humboldt", "paseo-de-paz", (23,), 6, 0.80),
    PartnerSpec("Southeast Tide Collective", "southeast-tide", (51, 48, 47), 5, 0.55),
    PartnerSpec("Luz del Barrio", "luz-del-barrio", (61, 66), 5, 0.80),
    PartnerSpec("Woodlawn Open Gate", "open-gate", (42, 40), 4, 0.15),
    PartnerSpec("Ashland Crossroads Outreach", "ashland-crossroads", (71, 67), 4, 0.20),
    PartnerSpec("Morgan Ridge Youth Bridge", "morgan-ridge", (75, 73), 3, 0.15),
)

LEGAL_AID = ProviderSpec("Commons Legal Aid Project", "commons-legal", Role.LEGAL_STAFF, 3, None, 4)
BEHAVIORAL_HEALTH = ProviderSpec(
    "Steady Ground Counseling Center",
    "steady-ground",
    Role.BEHAVIORAL_HEALTH_CLINICIAN,
    3,
    None,
    3,
)
WORKFORCE = ProviderSpec("Keystone Jobs Pathway", "keystone-jobs", Role.WORKFORCE_STAFF, 3, None, 5)
IPV_PROGRAM = ProviderSpec(
    "Clear Path Partner Accountability Program",
    "clear-path",
    Role.IPV_STAFF,
    2,
    IPV_PILOT_AREAS,
    1,
)
PROVIDERS = (LEGAL_AID, BEHAVIORAL_HEALTH, WORKFORCE, IPV_PROGRAM)

CONVENER_STAFFING = (
    (Role.ORGANIZATION_ADMIN, 1),
    (Role.CONVENER_STAFF, 2),
    (Role.TRAINER, 2),
    (Role.EVALUATOR, 1),
)


def partner_staffing(spec: PartnerSpec) -> tuple[tuple[Role, int], ...]:
    # The bigger partners run a fourth outreach worker.
    outreach = 4 if spec.weight >= 7 else 3
    return (
        (Role.ORGANIZATION_ADMIN, 1),
        (Role.SUPERVISOR, 1),
        (Role.OUTREACH_WORKER, outreach),
        (Role.CASE_MANAGER, 2),
        (Role.VICTIM_ADVOCATE, 1),
    )


def provider_staffing(spec: ProviderSpec) -> tuple[tuple[Role, int], ...]:
    return ((Role.ORGANIZATION_ADMIN, 1), (spec.specialist, spec.specialists))


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: Role
    organization: str


def demo_logins() -> list[DemoLogin]:
    """The well-known demo sign-ins, one per role, all with DEMO_PASSWORD. The second
    outreach worker belongs to another partner, to show that organizations do not see
    each other's participants."""
    first, second = PARTNERS[0].name, PARTNERS[1].name
    rows = [
        ("outreach", Role.OUTREACH_WORKER, first),
        ("outreach2", Role.OUTREACH_WORKER, second),
        ("casemanager", Role.CASE_MANAGER, first),
        ("advocate", Role.VICTIM_ADVOCATE, first),
        ("supervisor", Role.SUPERVISOR, first),
        ("orgadmin", Role.ORGANIZATION_ADMIN, first),
        ("clinician", Role.BEHAVIORAL_HEALTH_CLINICIAN, BEHAVIORAL_HEALTH.name),
        ("workforce", Role.WORKFORCE_STAFF, WORKFORCE.name),
        ("legal", Role.LEGAL_STAFF, LEGAL_AID.name),
        ("ipv", Role.IPV_STAFF, IPV_PROGRAM.name),
        ("convener", Role.CONVENER_STAFF, CONVENER_NAME),
        ("trainer", Role.TRAINER, CONVENER_NAME),
        ("evaluator", Role.EVALUATOR, CONVENER_NAME),
    ]
    return [DemoLogin(f"{local}@{DEMO_EMAIL_DOMAIN}", role, org) for local, role, org in rows]


@dataclass(frozen=True)
class StaffMember:
    email: str
    full_name: str
    preferred_language: str
    role: Role
    organization: str
    # The community area number the staff member mostly works in (Membership's
    # community_area), for the partners' direct-service staff.
    area: int | None = None


def ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _email_part(text: str) -> str:
    return "".join(c for c in ascii_fold(text).lower() if c.isalnum())


def _staff_name(rng: random.Random) -> tuple[str, str, str]:
    """(first, last, preferred language) of a staff member."""
    woman = rng.random() < 0.5
    if rng.random() < 0.3:
        first = rng.choice(names.SPANISH_FEMALE_FIRST if woman else names.SPANISH_MALE_FIRST)
        language = "es" if rng.random() < 0.3 else "en"
        return first, rng.choice(names.SPANISH_SURNAMES), language
    first = rng.choice(names.ENGLISH_FEMALE_FIRST if woman else names.ENGLISH_MALE_FIRST)
    return first, rng.choice(names.ENGLISH_SURNAMES), "en"


def _organizations_in_order() -> list[tuple[str, str, tuple[tuple[Role, int], ...]]]:
    return [
        (CONVENER_NAME, CONVENER_SLUG, CONVENER_STAFFING),
        *((p.name, p.slug, partner_staffing(p)) for p in PARTNERS),
        *((p.name, p.slug, provider_staffing(p)) for p in PROVIDERS),
    ]


# Partner roles that carry participants and grow with them.
CASELOAD_ROLES = (Role.OUTREACH_WORKER, Role.CASE_MANAGER)
# The most community areas one partner serves: the slot grid's width.
MAX_PARTNER_AREAS = 3


def _home_area(organization: str, role: Role, k: int) -> int | None:
    """The home area of the base roster's k-th staff member of this role: caseload
    slot (area k mod the number of areas, row k div it); other direct-service roles
    work from the partner's first area."""
    spec = next((p for p in PARTNERS if p.name == organization), None)
    if spec is None or role == Role.ORGANIZATION_ADMIN:
        return None
    if role in CASELOAD_ROLES:
        return spec.areas[k % len(spec.areas)]
    return spec.areas[0]


@cache
def _base_roster() -> tuple[StaffMember, ...]:
    return tuple(_staff_roster())


def staff_roster() -> list[StaffMember]:
    """The base roster: every demo staff member that exists whatever the number of
    participants, in a fixed order. Pure: the same list on every call."""
    return list(_base_roster())


def _staff_roster() -> list[StaffMember]:
    rng = random.Random("peacehub-demo/staff")
    well_known = {(login.organization, login.role): login.email for login in demo_logins()}
    roster: list[StaffMember] = []
    emails: set[str] = set()
    full_names: set[str] = set()
    for org_name, slug, staffing in _organizations_in_order():
        for role, count in staffing:
            for k in range(count):
                while True:
                    first, last, language = _staff_name(rng)
                    full_name = f"{first} {last}"
                    if full_name not in full_names:
                        break
                full_names.add(full_name)
                email = well_known.get((org_name, role)) if k == 0 else None
                if email is None:
                    email = f"{_email_part(first)}.{_email_part(last)}@{slug}.{DEMO_EMAIL_DOMAIN}"
                assert email not in emails, email
                emails.add(email)
                roster.append(
                    StaffMember(
                        email, full_name, language, role, org_name, _home_area(org_name, role, k)
                    )
                )
    return roster


@cache
def _extra_names() -> tuple[tuple[str, str, bool], ...]:
    """(first, last, Spanish?) for the invented staff beyond the base roster: every
    first name and surname combination once, shuffled with a fixed seed, about 30%
    Spanish, none whose address could clash with the base roster's."""
    rng = random.Random("peacehub-demo/staff/extra")
    english = [
        (first, last)
        for first in names.ENGLISH_FEMALE_FIRST + names.ENGLISH_MALE_FIRST
        for last in names.ENGLISH_SURNAMES
    ]
    spanish = [
        (first, last)
        for first in names.SPANISH_FEMALE_FIRST + names.SPANISH_MALE_FIRST
        for last in names.SPANISH_SURNAMES
    ]
    rng.shuffle(english)
    rng.shuffle(spanish)
    taken_names = {m.full_name for m in _base_roster()}
    taken = {m.email.split("@")[0] for m in _base_roster()}
    merged: list[tuple[str, str, bool]] = []
    while english or spanish:
        is_spanish = bool(spanish) and (not english or rng.random() < 0.3)
        first, last = (spanish if is_spanish else english).pop()
        local = f"{_email_part(first)}.{_email_part(last)}"
        if local not in taken and f"{first} {last}" not in taken_names:
            taken.add(local)
            merged.append((first, last, is_spanish))
    return tuple(merged)


@cache
def slot_member(partner: int, role: Role, area_index: int, row: int) -> StaffMember:
    """The staff member of one caseload slot: PARTNERS[partner]'s `row`-th outreach
    worker or case manager in its `area_index`-th area. Slots the base roster fills
    map to it (base member k sits in area k mod the number of areas, row k div it);
    every other slot gets an invented person whose name depends only on the slot."""
    spec = PARTNERS[partner]
    k = row * len(spec.areas) + area_index
    base = [m for m in _base_roster() if m.organization == spec.name and m.role == role]
    if k < len(base):
        return base[k]
    # A number unique to the slot picks a name no other slot gets.
    number = (
        (row * MAX_PARTNER_AREAS + area_index) * len(CASELOAD_ROLES) + CASELOAD_ROLES.index(role)
    ) * len(PARTNERS) + partner
    pool = _extra_names()
    first, last, is_spanish = pool[number % len(pool)]
    local, full_name = f"{_email_part(first)}.{_email_part(last)}", f"{first} {last}"
    middle = number // len(pool)
    if middle:  # only past every combination: add a middle initial
        initial = chr(ord("A") + (middle - 1) % 26)
        local = f"{_email_part(first)}.{initial.lower()}.{_email_part(last)}"
        full_name = f"{first} {initial}. {last}"
    rng = random.Random(f"peacehub-demo/staff/extra/{number}")
    language = "es" if is_spanish and rng.random() < 0.3 else "en"
    return StaffMember(
        email=f"{local}@{spec.slug}.{DEMO_EMAIL_DOMAIN}",
        full_name=full_name,
        preferred_language=language,
        role=role,
        organization=spec.name,
        area=spec.areas[area_index],
    )


def focus_area_numbers(csv_path: Path = HEALTH_INDICATORS_CSV) -> list[int]:
    """The FOCUS_AREA_COUNT community areas with the highest homicide rate, highest first
    (ties broken by area number)."""
    with Path(csv_path).open(newline="") as handle:
        rates = [
            (float(row["Assault (Homicide)"]), int(row["Community Area"]))
            for row in csv.DictReader(handle)
            if row["Assault (Homicide)"].strip()
        ]
    rates.sort(key=lambda rate_number: (-rate_number[0], rate_number[1]))
    return [number for _, number in rates[:FOCUS_AREA_COUNT]]


def coalition_check(focus_numbers: list[int]) -> None:
    """The partners must together serve exactly the focus areas."""
    served = {number for spec in PARTNERS for number in spec.areas}
    if served != set(focus_numbers):
        raise ValueError(
            "The demo partners' areas do not match the focus areas: "
            f"not served {sorted(set(focus_numbers) - served)}, "
            f"not a focus area {sorted(served - set(focus_numbers))}."
        )
    for spec in PARTNERS:
        if len(spec.areas) > MAX_PARTNER_AREAS:
            raise ValueError(f"{spec.name} serves more than {MAX_PARTNER_AREAS} areas.")
    for spec in PROVIDERS:
        if spec.areas and not set(spec.areas) <= served:
            raise ValueError(f"{spec.name} serves areas outside the focus areas.")


def community_areas_ensure(numbers: list[int]) -> None:
    """Load the community areas, as load_community_areas does, unless they are there."""
    if CommunityArea.objects.filter(number__in=numbers).count() == len(set(numbers)):
        return
    geojson = Path(settings.COMMUNITY_AREAS_GEOJSON)
    population_csv = geojson.parent / "community_area_population_2020.csv"
    community_areas_load(
        geojson_path=geojson,
        population_csv=population_csv if population_csv.exists() else None,
    )


@dataclass
class Coalition:
    """What the people generator needs, by id: no model instances to refetch."""

    convener_id: uuid.UUID
    partner_ids: dict[str, uuid.UUID]
    provider_ids: dict[str, uuid.UUID]
    # Community area number -> (id, name).
    areas: dict[int, tuple[int, str]]
    # (organization name, role) -> user ids, in roster order.
    staff: dict[tuple[str, str], list[uuid.UUID]] = field(default_factory=dict)
    # Every demo account's id, by address.
    user_ids: dict[str, uuid.UUID] = field(default_factory=dict)

    def slot_user(self, slot: tuple[int, Role, int, int]) -> uuid.UUID:
        """The user id of a caseload slot (partner, role, area index, row)."""
        return self.user_ids[slot_member(*slot).email]

    def base_user(self, organization: str, role: Role, k: int = 0) -> uuid.UUID:
        """The base roster's k-th staff member of this role (wrapping around)."""
        ids = [
            self.user_ids[m.email]
            for m in _base_roster()
            if m.organization == organization and m.role == role
        ]
        return ids[k % len(ids)]


def _organization(name: str, kind: str, area_ids: list[int]) -> Organization:
    organization, _ = Organization.objects.get_or_create(
        name=name, defaults={"id": demo_id(f"organization/{name}"), "kind": kind}
    )
    # add() inserts only the missing links; it never removes one.
    organization.community_areas.add(*area_ids)
    return organization


def coalition_seed(extra_staff: list[StaffMember] | tuple[StaffMember, ...] = ()) -> Coalition:
    """Create the areas' focus flags, the organizations, the staff accounts (the base
    roster and `extra_staff`) and their memberships, whatever of it is missing; give
    memberships without a home area theirs. Call inside a transaction."""
    focus = focus_area_numbers()
    coalition_check(focus)
    community_areas_ensure(focus)
    focus_areas_set(numbers=focus)
    areas = {
        number: (pk, name)
        for pk, number, name in CommunityArea.objects.filter(number__in=focus).values_list(
            "pk", "number", "name"
        )
    }
    focus_ids = [areas[n][0] for n in focus]

    convener = _organization(CONVENER_NAME, Organization.Kind.CONVENER, focus_ids)
    partner_ids = {
        spec.name: _organization(
            spec.name, Organization.Kind.PARTNER, [areas[n][0] for n in spec.areas]
        ).pk
        for spec in PARTNERS
    }
    provider_ids = {
        spec.name: _organization(
            spec.name,
            Organization.Kind.PROVIDER,
            [areas[n][0] for n in spec.areas] if spec.areas else focus_ids,
        ).pk
        for spec in PROVIDERS
    }
    organization_ids = {CONVENER_NAME: convener.pk, **partner_ids, **provider_ids}

    base = set(_base_roster())
    roster = [*_base_roster(), *(m for m in dict.fromkeys(extra_staff) if m not in base)]
    for member in roster:
        if member.role in CONVENER_ONLY_ROLES and member.organization != CONVENER_NAME:
            raise ValueError(f"{member.role} belongs only in the convener organization.")
    # Argon2 is slow by design: hash the shared password once, for every account.
    password_hash = make_password(DEMO_PASSWORD)
    User.objects.bulk_create(
        [
            User(
                id=demo_id(f"user/{member.email}"),
                email=member.email,
                full_name=member.full_name,
                preferred_language=member.preferred_language,
                password=password_hash,
            )
            for member in roster
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    # An account that existed before keeps its own id: look the ids up by address.
    user_ids = dict(
        User.objects.filter(email__in=[m.email for m in roster]).values_list("email", "pk")
    )
    Membership.objects.bulk_create(
        [
            Membership(
                id=demo_id(f"membership/{member.email}/{member.organization}"),
                user_id=user_ids[member.email],
                organization_id=organization_ids[member.organization],
                role=member.role,
            )
            for member in roster
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    # Home areas: set where missing (an area a staff member changed is theirs to keep).
    by_area: dict[tuple[str, int], list[uuid.UUID]] = {}
    for member in roster:
        if member.area is not None:
            by_area.setdefault((member.organization, member.area), []).append(
                user_ids[member.email]
            )
    for (organization, number), users in by_area.items():
        Membership.objects.filter(
            organization_id=organization_ids[organization],
            user_id__in=users,
            community_area__isnull=True,
        ).update(community_area_id=areas[number][0])
    coalition = Coalition(
        convener_id=convener.pk,
        partner_ids=partner_ids,
        provider_ids=provider_ids,
        areas=areas,
        user_ids=user_ids,
    )
    for member in roster:
        coalition.staff.setdefault((member.organization, member.role), []).append(
            user_ids[member.email]
        )
    return coalition
