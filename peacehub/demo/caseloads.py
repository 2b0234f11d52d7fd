"""Who carries whom: every participant's outreach worker and case manager, and so how
many of each a partner needs.

A real outreach worker carries 15 to 30 participants and a case manager about 25.
Each partner has a grid of caseload slots per role: one column per community area it
serves, rows 0, 1, 2, … downwards; each slot is one staff member
(peacehub.demo.coalition.slot_member) with a capacity of its own, 20 to 30 (25 on
average). Participants fill the slots of their organization and area in the order of
their number: a participant who counts against a caseload takes the column's current
slot, and opens the next row when it is full. So participant i's workers depend only
on participants 0 to i, never on how many were asked for: a larger demo gives its new
participants the slots after, and adds staff only for slots that did not exist yet. A
partner ends up with about max(base roster, ceil(participants carried / 25)) of each.

Who counts against an outreach worker's caseload: engaged participants, most of those
in case management (who keep their outreach worker), a quarter of those only
identified (the rest have none yet). A case manager carries the people in case
management. The closed keep the workers they last had, without counting.

The first DEMO_CASELOAD_PEOPLE participants belong to the first partner, in its first
area, so that outreach@ and casemanager@ have a full caseload even in a small demo.
"""

import random
from dataclasses import dataclass
from functools import cache

from peacehub.accounts.roles import Role
from peacehub.demo.coalition import PARTNERS, StaffMember, slot_member
from peacehub.people.models import Status

# (partner index, role, area index, row)
Slot = tuple[int, Role, int, int]

STATUS_WEIGHTS = {
    Status.IDENTIFIED: 20,
    Status.ENGAGED: 40,
    Status.CASE_MANAGEMENT: 30,
    Status.CLOSED: 10,
}
# Of those only identified, how many already have an outreach worker; of those in case
# management, how many keep theirs.
IDENTIFIED_WITH_OUTREACH_WORKER = 0.25
CASE_MANAGEMENT_KEEPS_OUTREACH_WORKER = 0.8

DEMO_CASELOAD_PEOPLE = 36
# outreach@ and casemanager@: the first partner's first slot of each role.
DEMO_OUTREACH_SLOT: Slot = (0, Role.OUTREACH_WORKER, 0, 0)
DEMO_CASE_MANAGER_SLOT: Slot = (0, Role.CASE_MANAGER, 0, 0)
DEMO_CAPACITY = {DEMO_OUTREACH_SLOT: 23, DEMO_CASE_MANAGER_SLOT: 25}
CAPACITY_RANGE = {Role.OUTREACH_WORKER: (20, 30), Role.CASE_MANAGER: (22, 28)}


def person_rng(seed: int, i: int) -> random.Random:
    """Participant i's own generator: the same whatever the number of participants."""
    return random.Random(f"peacehub-demo/{seed}/person/{i}")


@dataclass(frozen=True)
class Profile:
    """The first draws of a participant's generator: enough to assign workers."""

    partner: int
    area_index: int
    status: str
    reaches_case_management: bool
    has_outreach_worker: bool

    @property
    def area(self) -> int:
        return PARTNERS[self.partner].areas[self.area_index]


_WEIGHTS = [spec.weight for spec in PARTNERS]


def draw_profile(rng: random.Random, i: int) -> Profile:
    """Draw participant i's organization, area and status. peacehub.demo.people goes on
    drawing from the same generator for the rest of the person."""
    if i < DEMO_CASELOAD_PEOPLE:
        partner, area_index = 0, 0
    else:
        partner = rng.choices(range(len(PARTNERS)), _WEIGHTS)[0]
        area_index = rng.randrange(len(PARTNERS[partner].areas))
    status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
    reaches = status == Status.CASE_MANAGEMENT or (status == Status.CLOSED and rng.random() < 0.5)
    if status == Status.IDENTIFIED:
        has_outreach_worker = rng.random() < IDENTIFIED_WITH_OUTREACH_WORKER
    elif status == Status.CASE_MANAGEMENT:
        has_outreach_worker = rng.random() < CASE_MANAGEMENT_KEEPS_OUTREACH_WORKER
    else:
        has_outreach_worker = True
    return Profile(partner, area_index, status, reaches, has_outreach_worker)


@cache
def capacity(slot: Slot) -> int:
    if slot in DEMO_CAPACITY:
        return DEMO_CAPACITY[slot]
    low, high = CAPACITY_RANGE[slot[1]]
    return random.Random(f"peacehub-demo/caseload/{'/'.join(map(str, slot))}").randint(low, high)


@dataclass(frozen=True)
class Assignment:
    profile: Profile
    # The outreach worker who found and works with the person (also for the history
    # of those without one now), and whether Person.outreach_worker names them.
    outreach: Slot
    outreach_assigned: bool
    # The person's place in the outreach worker's active caseload, if they count.
    outreach_position: int | None
    # Their case manager, or the one an introduction would go to.
    case_manager: Slot
    case_manager_assigned: bool


class _Column:
    """One partner's slots of one role in one area, filled top to bottom."""

    def __init__(self, partner: int, role: Role, area_index: int):
        self.key = (partner, role, area_index)
        self.row = 0
        self.used = 0

    def current(self) -> Slot:
        return (*self.key, self.row)

    def take(self) -> tuple[Slot, int]:
        if self.used >= capacity(self.current()):
            self.row += 1
            self.used = 0
        self.used += 1
        return self.current(), self.used - 1


class CaseloadPlan:
    """The assignments of participants 0 to count-1. Pure Python, no queries: a few
    microseconds a participant."""

    def __init__(self, *, seed: int, count: int):
        self.seed = seed
        self.assignments: list[Assignment] = []
        columns: dict[tuple[int, Role, int], _Column] = {}

        def column(partner: int, role: Role, area_index: int) -> _Column:
            key = (partner, role, area_index)
            if key not in columns:
                columns[key] = _Column(*key)
            return columns[key]

        for i in range(count):
            profile = draw_profile(person_rng(seed, i), i)
            outreach = column(profile.partner, Role.OUTREACH_WORKER, profile.area_index)
            managers = column(profile.partner, Role.CASE_MANAGER, profile.area_index)
            counts = profile.has_outreach_worker and profile.status != Status.CLOSED
            position = None
            if counts:
                outreach_slot, position = outreach.take()
            else:
                outreach_slot = outreach.current()
            if profile.status == Status.CASE_MANAGEMENT:
                manager_slot, _ = managers.take()
            else:
                manager_slot = managers.current()
            self.assignments.append(
                Assignment(
                    profile=profile,
                    outreach=outreach_slot,
                    outreach_assigned=profile.has_outreach_worker,
                    outreach_position=position,
                    case_manager=manager_slot,
                    case_manager_assigned=profile.reaches_case_management,
                )
            )
        self.slots = {a.outreach for a in self.assignments} | {
            a.case_manager for a in self.assignments
        }

    def extra_staff(self) -> list[StaffMember]:
        """Every slot's staff member (the base roster's among them), in a fixed order."""
        return [slot_member(*slot) for slot in sorted(self.slots)]

    def active_caseloads(self) -> dict[Slot, int]:
        """How many active participants each slot carries."""
        loads: dict[Slot, int] = {}
        for a in self.assignments:
            if a.outreach_position is not None:
                loads[a.outreach] = loads.get(a.outreach, 0) + 1
            if a.profile.status == Status.CASE_MANAGEMENT:
                loads[a.case_manager] = loads.get(a.case_manager, 0) + 1
        return loads
