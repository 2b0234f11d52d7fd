"""manage.py seed_demo: a believable synthetic coalition to try PeaceHub with.

Adds what is missing and never deletes or changes anything else, so it is safe to run
again: a second run creates nothing, and a larger --people adds only the difference
(and the staff the new participants need). Besides the participants, a year of street
outreach in proportion to them: about 50 contacts a participant, incidents (the real
2023 homicides of six focus areas among synthetic ones) with every partner's response,
mediations, introductions and duty shifts. Every person, organization and staff member
is invented (see peacehub.demo).
"""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from peacehub.academy.models import Attendance, Cohort, Session, Trainee
from peacehub.accounts.models import Membership, Organization, User
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_event_record
from peacehub.cases.models import (
    Assessment,
    AssessmentRating,
    Case,
    CaseNote,
    Goal,
    GoalProgress,
    Intake,
    PreReleaseContact,
    ReentryPlan,
    ReentryService,
)
from peacehub.demo.academy import DEMO_TRAINEE_EMAIL, academy_seed
from peacehub.demo.caseloads import CaseloadPlan
from peacehub.demo.cases import cases_seed
from peacehub.demo.coalition import DEMO_PASSWORD, coalition_seed, demo_id, demo_logins
from peacehub.demo.events import events_seed
from peacehub.demo.incidents import incidents_seed
from peacehub.demo.mediations import mediations_seed
from peacehub.demo.outreach import contacts_seed, duty_seed
from peacehub.demo.people import DEFAULT_SEED, people_seed
from peacehub.demo.programs import programs_seed
from peacehub.demo.services import services_seed
from peacehub.events.models import Attendance as EventAttendance
from peacehub.events.models import Event, Place, Series
from peacehub.outreach.models import (
    Agreement,
    AgreementStateChange,
    Conflict,
    ConflictParty,
    Contact,
    DutyShift,
    Incident,
    IncidentPerson,
    IncidentResponse,
    Introduction,
    MediationSession,
    ResponseAction,
)
from peacehub.people.models import Consent, EligibilityCheck, Person, StatusChange
from peacehub.programs.models import Enrollment as ProgramEnrollment
from peacehub.referrals.models import Referral, ReferralEvent
from peacehub.services.models import Service

COUNTED = {
    "organizations": Organization,
    "staff accounts": User,
    "memberships": Membership,
    "duty shifts": DutyShift,
    "participants": Person,
    "status changes": StatusChange,
    "eligibility checks": EligibilityCheck,
    "consents": Consent,
    "introductions": Introduction,
    "contacts": Contact,
    "incidents": Incident,
    "incident responses": IncidentResponse,
    "response actions": ResponseAction,
    "incident links": IncidentPerson,
    "conflicts": Conflict,
    "conflict parties": ConflictParty,
    "mediation sessions": MediationSession,
    "agreements": Agreement,
    "agreement changes": AgreementStateChange,
    "directory services": Service,
    "program enrollments": ProgramEnrollment,
    "event places": Place,
    "event series": Series,
    "events": Event,
    "event head counts": EventAttendance,
    "academy cohorts": Cohort,
    "academy sessions": Session,
    "academy trainees": Trainee,
    "academy attendance": Attendance,
    "cases": Case,
    "intakes": Intake,
    "assessments": Assessment,
    "assessment ratings": AssessmentRating,
    "goals": Goal,
    "goal progress notes": GoalProgress,
    "case notes": CaseNote,
    "referrals": Referral,
    "referral steps": ReferralEvent,
    "re-entry plans": ReentryPlan,
    "pre-release contacts": PreReleaseContact,
    "re-entry services": ReentryService,
}
# SQLite's page cache for the seed's connection, in KiB: a million contacts' indexes
# are inserted in random order, which the default 2 MiB turns into disk reads.
SQLITE_CACHE_KIB = 512 * 1024


def _counts() -> dict[str, int]:
    return {label: model.objects.count() for label, model in COUNTED.items()}


class Command(BaseCommand):
    help = (
        "Create a synthetic demo coalition: the convener, 15 partner organizations, "
        "4 service providers, staff for every role and synthetic participants. "
        "Safe to run again; it never deletes anything."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--people", type=int, default=2000, help="Number of participants (default 2000)."
        )
        parser.add_argument(
            "--alongside-real-data",
            action="store_true",
            help="Seed even though the database holds organizations the demo did not create.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Random seed for the participants (default {DEFAULT_SEED}).",
        )

    def handle(self, *args, people: int, seed: int, alongside_real_data: bool, **options):
        verbose = options.get("verbosity", 1) > 1
        if people < 0:
            raise CommandError("--people must be 0 or more.")
        real = [
            o.name
            for o in Organization.objects.only("id", "name")
            if o.pk != demo_id(f"organization/{o.name}")
        ]
        if real and not alongside_real_data:
            # A production database: synthetic people must never mix with real ones
            # by accident.
            raise CommandError(
                f"This database holds organizations the demo did not create ({real[0]}, …). "
                "Refusing to add synthetic people; use --alongside-real-data to insist."
            )
        started = time.monotonic()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        before = _counts()
        now = timezone.now()
        today = timezone.localdate(now)
        lap, cpu = time.monotonic(), time.process_time()

        def step(name: str) -> None:
            nonlocal lap, cpu
            if verbose:
                self.stdout.write(
                    f"  {name}: {time.monotonic() - lap:.1f} s "
                    f"({time.process_time() - cpu:.1f} s of CPU)"
                )
            lap, cpu = time.monotonic(), time.process_time()

        with transaction.atomic():
            plan = CaseloadPlan(seed=seed, count=people)
            coalition = coalition_seed(plan.extra_staff())
            step("caseloads and staff")
            people_seed(coalition=coalition, plan=plan, seed=seed, today=today)
            step("participants")
            incident_ids = incidents_seed(coalition=coalition, people=people, now=now)
            step("incidents")
            contacts_seed(coalition=coalition, plan=plan, now=now, incident_ids=incident_ids)
            step("contacts")
            mediations_seed(coalition=coalition, plan=plan, today=today)
            duty_seed(coalition=coalition)
            step("mediations and duty shifts")
            # Each part has its own random stream, so adding one never changes another.
            services_seed(coalition=coalition, rng=random.Random(f"services/{seed}"))
            programs_seed(coalition=coalition, today=today, rng=random.Random(f"programs/{seed}"))
            events_seed(coalition=coalition, today=today, rng=random.Random(f"events/{seed}"))
            academy_seed(coalition=coalition, today=today, rng=random.Random(f"academy/{seed}"))
            step("directory, programs, events and academy")
            # After the directory: referrals go to its services.
            cases_seed(coalition=coalition, plan=plan, now=now)
            step("cases, referrals and re-entry")
            after = _counts()
            created = {label: after[label] - before[label] for label in COUNTED}
            # One event for the whole seed, and none when nothing was added.
            if any(created.values()):
                audit_event_record(
                    actor=None,
                    action=AuditAction.CREATE,
                    record_type="demo.seed",
                    detail={
                        "people_requested": people,
                        "seed": seed,
                        **{label.replace(" ", "_"): n for label, n in created.items()},
                    },
                )
        step("commit")
        if connection.vendor == "sqlite" and any(created.values()):
            # Table statistics, so that SQLite's planner picks the right index on a
            # million contacts. Exact ones (about a second at 20,000 people): a sampled
            # ANALYZE put a tenth of an organization's people under each organization id,
            # and the planner then walked all 2,700 of them for one worker's 28.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA analysis_limit = 0")
                cursor.execute("ANALYZE")
            step("statistics")
        elapsed = time.monotonic() - started

        summary = ", ".join(f"{n:,} {label}" for label, n in created.items() if n)
        self.stdout.write(
            f"Demo coalition ready in {elapsed:.1f} s: "
            + (f"created {summary}." if summary else "nothing new to create.")
        )
        self.stdout.write(f"{after['participants']:,} participants in the database.")
        self._print_logins()

    def _print_logins(self) -> None:
        logins = demo_logins()
        roles = [str(login.role.label) for login in logins]
        width_email = max(len(login.email) for login in logins)
        width_role = max(len(role) for role in roles)
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins. Password for every demo account: {DEMO_PASSWORD}")
        self.stdout.write(f"{'email':<{width_email}}  {'role':<{width_role}}  organization")
        for login, role in zip(logins, roles, strict=True):
            self.stdout.write(
                f"{login.email:<{width_email}}  {role:<{width_role}}  {login.organization}"
            )
        trainee = "Peace Academy trainee (own record only)"
        self.stdout.write(f"{DEMO_TRAINEE_EMAIL:<{width_email}}  {trainee}")
