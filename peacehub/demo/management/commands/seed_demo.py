"""manage.py seed_demo: a believable synthetic coalition to try PeaceHub with.

Adds what is missing and never deletes or changes anything else, so it is safe to run
again: a second run creates nothing, and a larger --people adds only the difference.
Every person, organization and staff member is invented (see peacehub.demo).
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from peacehub.accounts.models import Membership, Organization, User
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_event_record
from peacehub.demo.coalition import DEMO_PASSWORD, coalition_seed, demo_id, demo_logins
from peacehub.demo.people import DEFAULT_SEED, people_seed
from peacehub.people.models import Consent, EligibilityCheck, Person, StatusChange

COUNTED = {
    "organizations": Organization,
    "staff accounts": User,
    "memberships": Membership,
    "participants": Person,
    "status changes": StatusChange,
    "eligibility checks": EligibilityCheck,
    "consents": Consent,
}


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
        before = _counts()
        with transaction.atomic():
            coalition = coalition_seed()
            people_seed(coalition=coalition, count=people, seed=seed, today=timezone.localdate())
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
