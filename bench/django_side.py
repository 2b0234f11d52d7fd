"""The Django side of bench/run.py: what the harness needs to read from (or tidy in) the
bench database. Run by run.py, with the bench's environment, as

    python bench/django_side.py info EMAIL...
    python bench/django_side.py cleanup --since ISO-8601 EMAIL...
    python bench/django_side.py demo-only
    python bench/django_side.py reset
    python bench/django_side.py audit-cost EMAIL

and answers in JSON on stdout. It reads the database directly: it is the bench's own
tooling, never part of what is measured.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peacehub.settings")

import django

django.setup()

from django.db import transaction  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.dateparse import parse_datetime  # noqa: E402

from peacehub.accounts.models import Organization, User  # noqa: E402
from peacehub.audit.models import AuditAction, AuditEvent  # noqa: E402
from peacehub.audit.services import audit_listing  # noqa: E402
from peacehub.demo.coalition import demo_id  # noqa: E402
from peacehub.outreach.models import Contact, Incident  # noqa: E402
from peacehub.people.models import Person, Status  # noqa: E402


def counts() -> dict[str, int]:
    return {
        "people": Person.objects.count(),
        "contacts": Contact.objects.count(),
        "incidents": Incident.objects.count(),
        "audit_events": AuditEvent.objects.count(),
    }


def _people(queryset) -> list[dict]:
    return [
        {"id": str(pk), "community_area": area_id}
        for pk, area_id in queryset.exclude(status=Status.CLOSED)
        .order_by("id")
        .values_list("pk", "community_area_id")
    ]


def info(emails: list[str]) -> dict:
    logins = {}
    for email in emails:
        user = User.objects.get(email=email)
        # The user's own open participants, as outreach worker or case manager; and,
        # while the seed assigns nobody to anyone, their organizations' as a stand-in.
        own = _people(Person.objects.filter(Q(outreach_worker=user) | Q(case_manager=user)))
        organizations = user.memberships.values("organization_id")
        logins[email] = {
            "participants": own,
            "organization_people": []
            if own
            else _people(Person.objects.filter(organization_id__in=organizations))[:200],
            "contacts_logged": Contact.objects.filter(worker=user).count(),
        }
    local_now = timezone.localtime().replace(second=0, microsecond=0)
    return {"counts": counts(), "logins": logins, "local_now": local_now.isoformat()}


def cleanup(emails: list[str], since: str) -> dict:
    """Delete the contacts the bench's users logged since the run began (a PostgreSQL
    bench database is kept between runs). The audit events stay: the log is
    append-only by design."""
    moment = parse_datetime(since)
    deleted, _ = Contact.objects.filter(worker__email__in=emails, created_at__gte=moment).delete()
    return {"deleted": deleted}


def audit_cost(email: str, rounds: int = 200) -> dict:
    """The server time of the one audit event every person-level page writes (a list
    of 25 record ids, as the worker's home writes), in milliseconds: the best of
    `rounds`, each rolled back so the log is not touched. A floor under every audited
    page that no query or template change removes."""
    request = RequestFactory().get("/")
    request.user = User.objects.get(email=email)
    records = list(Person.objects.order_by("id")[:25])
    best = float("inf")
    for _ in range(rounds):
        with transaction.atomic():
            started = time.perf_counter()
            audit_listing(request, AuditAction.LIST, records, record_type="people.person")
            best = min(best, time.perf_counter() - started)
            transaction.set_rollback(True)
    return {"audit_write_ms": round(best * 1000, 3)}


def demo_only() -> dict:
    """Whether every organization in the database is a demo one (so the database may be
    emptied and seeded again)."""
    real = [o.name for o in Organization.objects.all() if o.pk != demo_id(f"organization/{o.name}")]
    return {"demo_only": not real, "other_organizations": real[:5]}


def reset() -> dict:
    """Empty a PostgreSQL bench database whole, tables and all, for `migrate` and
    `seed_demo` to start again (flush would also remove the rows that migrations
    create). Only after demo_only() said yes."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    return {"reset": True}


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    info_parser = commands.add_parser("info")
    info_parser.add_argument("emails", nargs="*")
    cleanup_parser = commands.add_parser("cleanup")
    cleanup_parser.add_argument("--since", required=True)
    cleanup_parser.add_argument("emails", nargs="+")
    commands.add_parser("demo-only")
    commands.add_parser("reset")
    audit_parser = commands.add_parser("audit-cost")
    audit_parser.add_argument("email")
    args = parser.parse_args()
    if args.command == "info":
        answer = info(args.emails)
    elif args.command == "cleanup":
        answer = cleanup(args.emails, args.since)
    elif args.command == "reset":
        answer = reset()
    elif args.command == "audit-cost":
        answer = audit_cost(args.email)
    else:
        answer = demo_only()
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
