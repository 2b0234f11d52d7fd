"""The demo Peace Academy: the course catalogue, cohorts with sessions and attendance,
trainings open to the public and the public's interest in them.

- Signature Outreach Training, in progress (week 11 of 18): one outreach worker from
  each of eight partners (the well-known outreach@ and outreach2@ sign-ins among them),
  two 4-hour sessions a week, attendance taken for every session already held.
- Community Training Academy, in progress (week 3 of 3): twelve synthetic police
  officers, trainees only. One of them signs in as trainee@demo.peacehub.test (the demo
  password) and sees nothing but his own training record; none has a membership.
- MPA-X, finished six weeks ago: outreach professionals from outside the coalition,
  most of them completed, so that certificates can be seen.
- Three ReCAST community training series open to public interest, starting in the
  coming weeks, and a few interest submissions, the two oldest handled.

Every row's id is demo_id(...) of a fixed key, so a second run adds nothing; dates count
from `today` of the first run. Names come from peacehub.demo.names, drawn with `rng`:
synthetic people, never real ones. Phone numbers are 555-01xx, the range kept for fiction.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from peacehub.academy.catalogue import (
    COMMUNITY_TRAINING_ACADEMY,
    MPA_X,
    RECAST,
    SIGNATURE_OUTREACH,
)
from peacehub.academy.models import (
    Attendance,
    Cohort,
    Course,
    Enrollment,
    Interest,
    Session,
    Trainee,
    TraineeCategory,
)
from peacehub.academy.services import catalogue_load, enrollment_completion_update
from peacehub.accounts.models import User
from peacehub.accounts.roles import Role
from peacehub.demo import names
from peacehub.demo.coalition import (
    CONVENER_NAME,
    DEMO_EMAIL_DOMAIN,
    DEMO_PASSWORD,
    PARTNERS,
    Coalition,
    demo_id,
)

DEMO_TRAINEE_EMAIL = f"trainee@{DEMO_EMAIL_DOMAIN}"

SIGNATURE_TOPICS = (
    "Nonviolence: principles and practice",
    "Trauma-informed services",
    "Restorative justice circles",
    "Street outreach: first contacts",
    "De-escalation and rumor control",
    "Responding after a shooting",
    "Supporting families of victims",
    "Introductions to case management",
    "Self-care for outreach workers",
)
POLICE_TOPICS = (
    "What community violence intervention is",
    "The communities we serve",
    "Trauma and its effects",
    "Why outreach does not share information with police",
    "Restorative justice",
    "Working alongside, not together",
)
MPA_X_TOPICS = (
    "Nonviolence",
    "Trauma-informed services",
    "Restorative justice",
    "Conflict mediation",
    "Self-care",
)
RECAST_TOPICS = (
    "Adverse childhood experiences",
    "The impact of community violence",
    "Mental health and wellness",
    "Nonviolence",
    "Restorative justice practices",
    "Self-care",
    "Trauma-informed care",
)
# Partners whose areas host the public series, with the venue's kind and language.
RECAST_SERIES = (
    (0, "park fieldhouse", "en"),
    (9, "public library branch, community room", "es"),
    (11, "parish hall", "es"),
)


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _person_name(rng: random.Random) -> tuple[str, str]:
    """(full name, preferred language) of a synthetic trainee."""
    woman = rng.random() < 0.45
    if rng.random() < 0.3:
        first = rng.choice(names.SPANISH_FEMALE_FIRST if woman else names.SPANISH_MALE_FIRST)
        return f"{first} {rng.choice(names.SPANISH_SURNAMES)}", "es" if rng.random() < 0.4 else "en"
    first = rng.choice(names.ENGLISH_FEMALE_FIRST if woman else names.ENGLISH_MALE_FIRST)
    return f"{first} {rng.choice(names.ENGLISH_SURNAMES)}", "en"


def _phone(rng: random.Random) -> str:
    return f"312-555-01{rng.randrange(100):02d}"


class _Seeder:
    def __init__(self, coalition: Coalition, today: datetime.date, rng: random.Random):
        self.coalition = coalition
        self.today = today
        self.rng = rng
        self.organization_id = coalition.convener_id
        self.trainer_ids = coalition.staff.get((CONVENER_NAME, Role.TRAINER), [])
        self.courses = {c.slug: c for c in Course.objects.all()}
        self.created = {"cohorts": 0, "sessions": 0, "trainees": 0, "attendance": 0}

    def cohort(self, key, slug, name, starts_on, ends_on, *, place="", public=False) -> Cohort:
        cohort, created = Cohort.objects.get_or_create(
            id=demo_id(f"academy/cohort/{key}"),
            defaults={
                "course": self.courses[slug],
                "organization_id": self.organization_id,
                "name": name,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "place": place,
                "open_to_public": public,
            },
        )
        if created:
            cohort.trainers.set(self.trainer_ids)
            self.created["cohorts"] += 1
        return cohort

    def sessions(self, cohort, key, days, topics, hours, starts_at) -> list[Session]:
        ends_at = (
            datetime.datetime.combine(datetime.date.min, starts_at)
            + datetime.timedelta(hours=float(hours))
        ).time()
        rows = [
            Session(
                id=demo_id(f"academy/session/{key}/{n}"),
                cohort=cohort,
                held_on=day,
                topic=topics[n % len(topics)],
                hours=hours,
                starts_at=starts_at,
                ends_at=ends_at,
                trainer_id=self.trainer_ids[n % len(self.trainer_ids)]
                if self.trainer_ids
                else None,
            )
            for n, day in enumerate(days)
        ]
        before = Session.objects.filter(cohort=cohort).count()
        Session.objects.bulk_create(rows, ignore_conflicts=True)
        self.created["sessions"] += Session.objects.filter(cohort=cohort).count() - before
        return list(Session.objects.filter(cohort=cohort).order_by("held_on"))

    def trainees(self, rows: list[Trainee]) -> list[Trainee]:
        before = Trainee.objects.count()
        Trainee.objects.bulk_create(rows, ignore_conflicts=True)
        self.created["trainees"] += Trainee.objects.count() - before
        return list(Trainee.objects.filter(pk__in=[t.pk for t in rows]))

    def enroll(self, cohort, key, trainees) -> list[Enrollment]:
        rows = [
            Enrollment(
                id=demo_id(f"academy/enrollment/{key}/{t.pk}"),
                cohort=cohort,
                trainee=t,
                enrolled_on=cohort.starts_on,
            )
            for t in trainees
        ]
        Enrollment.objects.bulk_create(rows, ignore_conflicts=True)
        return list(Enrollment.objects.filter(cohort=cohort).select_related("cohort__course"))

    def attend(self, sessions, enrollments, *, presence=0.92, always=()) -> None:
        """Attendance of every session already held, for enrollments not yet marked."""
        held = [s for s in sessions if s.held_on < self.today]
        marked = set(
            Attendance.objects.filter(session__in=held).values_list("session_id", "enrollment_id")
        )
        recorder = self.trainer_ids[0] if self.trainer_ids else None
        rows = []
        for enrollment in enrollments:
            steady = enrollment.pk in always or self.rng.random() < 0.5
            for session in held:
                if (session.pk, enrollment.pk) in marked:
                    continue
                present = steady or self.rng.random() < presence
                hours = session.hours
                if present and not steady and self.rng.random() < 0.1:
                    hours = session.hours - Decimal(1)  # came late or left early
                rows.append(
                    Attendance(
                        id=demo_id(f"academy/attendance/{session.pk}/{enrollment.pk}"),
                        session=session,
                        enrollment=enrollment,
                        present=present,
                        hours_credited=hours if present else Decimal(0),
                        recorded_by_id=recorder,
                        recorded_at=timezone.make_aware(
                            datetime.datetime.combine(session.held_on, datetime.time(18, 0))
                        ),
                    )
                )
        Attendance.objects.bulk_create(rows, ignore_conflicts=True)
        self.created["attendance"] += len(rows)
        for enrollment in enrollments:
            enrollment_completion_update(enrollment)

    # --- The cohorts ---------------------------------------------------------------

    def signature_outreach(self) -> None:
        starts_on = _monday(self.today) - datetime.timedelta(weeks=10)
        weeks = 18
        cohort = self.cohort(
            "signature-outreach",
            SIGNATURE_OUTREACH,
            f"{starts_on:%B %Y} cohort",
            starts_on,
            starts_on + datetime.timedelta(weeks=weeks, days=-3),
            place="Metro Peace Alliance training room",
        )
        # Tuesdays and Thursdays, 4 hours: 144 hours in 18 weeks.
        days = [
            starts_on + datetime.timedelta(weeks=w, days=d) for w in range(weeks) for d in (1, 3)
        ]
        sessions = self.sessions(
            cohort, "signature-outreach", days, SIGNATURE_TOPICS, Decimal(4), datetime.time(9, 30)
        )
        user_ids = [
            ids[0]
            for spec in PARTNERS[:8]
            if (ids := self.coalition.staff.get((spec.name, Role.OUTREACH_WORKER)))
        ]
        users = User.objects.in_bulk(user_ids)
        trainees = self.trainees(
            [
                Trainee(
                    id=demo_id(f"academy/trainee/staff/{user_id}"),
                    organization_id=self.organization_id,
                    user_id=user_id,
                    full_name=users[user_id].full_name,
                    email=users[user_id].email,
                    preferred_language=users[user_id].preferred_language,
                    category=TraineeCategory.STAFF,
                )
                for user_id in user_ids
            ]
        )
        self.attend(sessions, self.enroll(cohort, "signature-outreach", trainees))

    def community_training_academy(self) -> None:
        starts_on = _monday(self.today) - datetime.timedelta(weeks=2)
        cohort = self.cohort(
            "community-training-academy",
            COMMUNITY_TRAINING_ACADEMY,
            f"{starts_on:%B %Y} cohort",
            starts_on,
            starts_on + datetime.timedelta(weeks=3, days=-3),
            place="Metro Peace Alliance training room",
        )
        # Mondays and Wednesdays, 4 hours: 24 hours in 3 weeks.
        days = [starts_on + datetime.timedelta(weeks=w, days=d) for w in range(3) for d in (0, 2)]
        sessions = self.sessions(
            cohort,
            "community-training-academy",
            days,
            POLICE_TOPICS,
            Decimal(4),
            datetime.time(13, 0),
        )
        rows = []
        for n in range(12):
            full_name, language = _person_name(self.rng)
            rows.append(
                Trainee(
                    id=demo_id(f"academy/trainee/police/{n}"),
                    organization_id=self.organization_id,
                    full_name=full_name,
                    preferred_language=language,
                    category=TraineeCategory.POLICE_OFFICER,
                    agency=f"District {self.rng.choice((3, 6, 7, 8, 10, 11, 15))}",
                )
            )
        trainees = self.trainees(rows)
        demo = self._demo_trainee(next(t for t in trainees if t.pk == rows[0].id))
        enrollments = self.enroll(cohort, "community-training-academy", trainees)
        always = {e.pk for e in enrollments if e.trainee_id == demo.pk}
        self.attend(sessions, enrollments, always=always)

    def _demo_trainee(self, trainee: Trainee) -> Trainee:
        """The well-known outside trainee's sign-in: a User with no membership."""
        if trainee.user_id is None:
            user, _ = User.objects.get_or_create(
                email=DEMO_TRAINEE_EMAIL,
                defaults={
                    "id": demo_id(f"user/{DEMO_TRAINEE_EMAIL}"),
                    "full_name": trainee.full_name,
                    "preferred_language": trainee.preferred_language,
                    "password": make_password(DEMO_PASSWORD),
                },
            )
            trainee.user = user
            trainee.email = DEMO_TRAINEE_EMAIL
            trainee.save(update_fields=["user", "email"])
        return trainee

    def mpa_x(self) -> None:
        starts_on = _monday(self.today) - datetime.timedelta(weeks=11)
        cohort = self.cohort(
            "mpa-x",
            MPA_X,
            f"{starts_on:%B %Y} cohort",
            starts_on,
            starts_on + datetime.timedelta(weeks=5, days=-3),
            place="Metro Peace Alliance training room",
        )
        # Five weeks of two 4-hour sessions: 40 hours.
        days = [starts_on + datetime.timedelta(weeks=w, days=d) for w in range(5) for d in (1, 3)]
        sessions = self.sessions(
            cohort, "mpa-x", days, MPA_X_TOPICS, Decimal(4), datetime.time(9, 0)
        )
        rows = []
        for n in range(8):
            full_name, language = _person_name(self.rng)
            rows.append(
                Trainee(
                    id=demo_id(f"academy/trainee/mpa-x/{n}"),
                    organization_id=self.organization_id,
                    full_name=full_name,
                    preferred_language=language,
                    category=TraineeCategory.OUTREACH_PROFESSIONAL,
                    agency=self.rng.choice(
                        ("Northside youth outreach program", "Suburban county violence prevention")
                    ),
                    phone=_phone(self.rng),
                )
            )
        trainees = self.trainees(rows)
        enrollments = self.enroll(cohort, "mpa-x", trainees)
        # Most of them never missed an hour, so their certificates can be printed.
        always = {e.pk for e in enrollments[:6]}
        self.attend(sessions, enrollments, presence=0.8, always=always)

    def recast(self) -> list[Cohort]:
        cohorts = []
        for k, (partner, venue, language) in enumerate(RECAST_SERIES):
            area_number = PARTNERS[partner].areas[0]
            area_name = self.coalition.areas[area_number][1]
            starts_on = _monday(self.today) + datetime.timedelta(weeks=2 + 3 * k, days=2 + k)
            name = f"{area_name} series" + (" (en español)" if language == "es" else "")
            cohort = self.cohort(
                f"recast/{k}",
                RECAST,
                name,
                starts_on,
                starts_on + datetime.timedelta(weeks=6),
                place=f"{area_name} {venue}",
                public=True,
            )
            days = [starts_on + datetime.timedelta(weeks=w) for w in range(7)]
            self.sessions(
                cohort, f"recast/{k}", days, RECAST_TOPICS, Decimal(2), datetime.time(18, 0)
            )
            cohorts.append(cohort)
        return cohorts

    def interests(self, cohorts: list[Cohort]) -> None:
        rows = []
        now = timezone.make_aware(datetime.datetime.combine(self.today, datetime.time(12)))
        for n in range(7):
            full_name, language = _person_name(self.rng)
            by_email = self.rng.random() < 0.6
            # The older ones were answered the day after they came in.
            handled = n >= 5
            submitted_at = now - datetime.timedelta(days=n, hours=self.rng.randrange(12))
            rows.append(
                Interest(
                    id=demo_id(f"academy/interest/{n}"),
                    cohort=cohorts[n % len(cohorts)],
                    name=full_name,
                    email=f"neighbor{n + 1}@{DEMO_EMAIL_DOMAIN}" if by_email else "",
                    phone="" if by_email else _phone(self.rng),
                    preferred_language=language,
                    message=self.rng.choice(
                        (
                            "",
                            "Can I bring my teenage son?",
                            "Is there childcare?",
                            "¿Es gratis?",
                            "I coach a youth basketball team and would like to learn more.",
                        )
                    ),
                    submitted_at=submitted_at,
                    handled_at=submitted_at + datetime.timedelta(days=1) if handled else None,
                    handled_by_id=self.trainer_ids[0] if handled and self.trainer_ids else None,
                )
            )
        Interest.objects.bulk_create(rows, ignore_conflicts=True)


def academy_seed(*, coalition: Coalition, today: datetime.date, rng: random.Random) -> dict:
    """Create whatever of the demo academy is missing. Call inside a transaction, after
    coalition_seed. Returns how many cohorts, sessions, trainees and attendance rows
    it created."""
    catalogue_load()
    seeder = _Seeder(coalition, today, rng)
    seeder.signature_outreach()
    seeder.community_training_academy()
    seeder.mpa_x()
    seeder.interests(seeder.recast())
    return seeder.created
