"""Conflict mediation: three to eight conflicts per partner, in its own areas.

A conflict has a neutral label ("Conflict 4 — Englewood"), two to four parties — the
partner's own participants, or neutral group labels ("Group A"), never both in one
party and never a gang or crew name —, one to five sessions, and usually an agreement
(peace or non-aggression) whose state moves over the weeks: holding, strained, holding
again; some break, some are resolved, which closes the conflict.

Conflict k of a partner is drawn from its own generator, with uuid5 ids. Its
participants are taken from the first participants (by number) of the partner in that
area, so that they hardly depend on the number of participants; a conflict that exists
is left alone.
"""

import random
from datetime import date, timedelta

from peacehub.accounts.roles import Role
from peacehub.demo.caseloads import CaseloadPlan
from peacehub.demo.coalition import PARTNERS, Coalition, demo_id
from peacehub.outreach.models import (
    Agreement,
    AgreementKind,
    AgreementState,
    AgreementStateChange,
    Conflict,
    ConflictParty,
    MediationSession,
)
from peacehub.people.models import Person, Status

CONFLICTS_PER_PARTNER = (3, 8)
CANDIDATES_PER_AREA = 40
GROUPS = ["Group A", "Group B", "Group C"]
SESSION_NOTES = [
    "Both sides agreed to keep away from the park for now.",
    "Talked through what happened at the party.",
    "Families joined; agreed to meet again.",
    "Set ground rules for the next meeting.",
    "One side did not come; will try again next week.",
    "Went over what each side needs to feel safe.",
]
CHANGE_NOTES = {
    AgreementState.STRAINED: ["Tension after a fight at school.", "Words exchanged online."],
    AgreementState.HOLDING: ["Back on track after a talk with both sides."],
    AgreementState.BROKEN: ["A fight broke out; mediation starts again."],
    AgreementState.RESOLVED: ["Both sides kept the agreement; no trouble for months."],
}
# From a state, the next one and how likely it is.
NEXT = {
    AgreementState.HOLDING: {
        AgreementState.STRAINED: 45,
        AgreementState.RESOLVED: 20,
        None: 35,
    },
    AgreementState.STRAINED: {
        AgreementState.HOLDING: 55,
        AgreementState.BROKEN: 30,
        None: 15,
    },
}


def _facilitators(coalition: Coalition, spec) -> list:
    return (
        coalition.staff[(spec.name, Role.OUTREACH_WORKER)][:4]
        + coalition.staff[(spec.name, Role.SUPERVISOR)]
    )


def mediations_seed(*, coalition: Coalition, plan: CaseloadPlan, today: date) -> None:
    """Create the conflicts that do not exist yet, with their parties, sessions,
    agreements and agreement histories. Call inside a transaction."""
    # The first engaged or case-managed participants of each partner and area.
    candidates: dict[tuple[int, int], list] = {}
    for i, assignment in enumerate(plan.assignments):
        profile = assignment.profile
        key = (profile.partner, profile.area_index)
        pool = candidates.setdefault(key, [])
        if (
            profile.status in (Status.ENGAGED, Status.CASE_MANAGEMENT)
            and len(pool) < CANDIDATES_PER_AREA
        ):
            pool.append(demo_id(f"{plan.seed}/person/{i}"))
    wanted = [pk for pool in candidates.values() for pk in pool]
    owners = dict(
        Person.objects.filter(pk__in=wanted).order_by().values_list("pk", "organization_id")
    )
    existing = set(Conflict.objects.order_by().values_list("pk", flat=True))
    conflicts, parties, sessions, agreements, changes = [], [], [], [], []
    for k, spec in enumerate(PARTNERS):
        organization_id = coalition.partner_ids[spec.name]
        facilitators = _facilitators(coalition, spec)
        count = random.Random(f"peacehub-demo/conflicts/{spec.slug}").randint(
            *CONFLICTS_PER_PARTNER
        )
        for n in range(count):
            key = f"conflict/{spec.slug}/{n}"
            conflict_id = demo_id(key)
            if conflict_id in existing:
                continue
            rng = random.Random(f"peacehub-demo/{key}")
            area_index = rng.randrange(len(spec.areas))
            area_id, area_name = coalition.areas[spec.areas[area_index]]
            opened_on = today - timedelta(days=rng.randint(14, 360))
            facilitator = rng.choice(facilitators)
            conflict = Conflict(
                id=conflict_id,
                organization_id=organization_id,
                label=f"Conflict {n + 1} — {area_name}",
                community_area_id=area_id,
                opened_on=opened_on,
                created_by_id=facilitator,
            )
            conflicts.append(conflict)

            # Parties: two or three groups with a participant or two, or participants.
            pool = [
                pk
                for pk in candidates.get((k, area_index), [])
                if owners.get(pk) == organization_id
            ]
            people = rng.sample(pool, min(len(pool), rng.randint(0, 2)))
            if rng.random() < 0.35 and len(pool) >= 2:
                people, groups = rng.sample(pool, min(len(pool), rng.randint(2, 3))), []
            else:
                groups = GROUPS[: rng.choice([2, 2, 3])]
            for m, person_id in enumerate(people):
                parties.append(
                    ConflictParty(
                        id=demo_id(f"{key}/party/person/{m}"),
                        conflict_id=conflict_id,
                        person_id=person_id,
                    )
                )
            for label in groups:
                parties.append(
                    ConflictParty(
                        id=demo_id(f"{key}/party/{label}"),
                        conflict_id=conflict_id,
                        group_label=label,
                    )
                )

            # Sessions, from the opening on.
            span = (today - opened_on).days
            held = sorted(
                {
                    opened_on + timedelta(days=rng.randint(0, min(span, 60)))
                    for _ in range(rng.randint(1, 5))
                }
            )
            for m, held_on in enumerate(held):
                note = rng.choice(SESSION_NOTES) if rng.random() < 0.5 else ""
                sessions.append(
                    MediationSession(
                        id=demo_id(f"{key}/session/{m}"),
                        conflict_id=conflict_id,
                        held_on=held_on,
                        note=note,
                        facilitator_id=facilitator,
                    )
                )

            # An agreement, usually, and how it held.
            if rng.random() < 0.25 and len(held) < 2:
                continue
            made_on = held[-1]
            agreement_id = demo_id(f"{key}/agreement")
            history = [(AgreementState.HOLDING, made_on, "")]
            state, day = AgreementState.HOLDING, made_on
            while state in NEXT:
                day += timedelta(days=rng.randint(10, 50))
                options = NEXT[state]
                following = rng.choices(list(options), list(options.values()))[0]
                if day > today or following is None:
                    break
                if following == AgreementState.RESOLVED and (day - made_on).days < 60:
                    break
                state = following
                note = rng.choice(CHANGE_NOTES[state]) if rng.random() < 0.6 else ""
                history.append((state, day, note))
            last_day = history[-1][1]
            review_on = None
            if state in (AgreementState.HOLDING, AgreementState.STRAINED):
                review_on = max(last_day + timedelta(days=rng.randint(14, 45)), made_on)
            agreements.append(
                Agreement(
                    id=agreement_id,
                    conflict_id=conflict_id,
                    kind=rng.choice([AgreementKind.PEACE, AgreementKind.NON_AGGRESSION]),
                    made_on=made_on,
                    state=state,
                    review_on=review_on,
                )
            )
            for m, (step, changed_on, note) in enumerate(history):
                changes.append(
                    AgreementStateChange(
                        id=demo_id(f"{key}/agreement/{m}"),
                        agreement_id=agreement_id,
                        state=step,
                        changed_on=changed_on,
                        note=note,
                        changed_by_id=facilitator,
                    )
                )
            if state == AgreementState.RESOLVED:
                conflict.closed_on = last_day
    Conflict.objects.bulk_create(conflicts)
    ConflictParty.objects.bulk_create(parties)
    MediationSession.objects.bulk_create(sessions)
    Agreement.objects.bulk_create(agreements)
    AgreementStateChange.objects.bulk_create(changes)
