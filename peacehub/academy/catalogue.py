"""The Peace Academy's course catalogue: reference data, in English and Spanish.

Loaded by `manage.py load_academy_catalogue` (peacehub.academy.services.catalogue_load),
not by a data migration: trainers may change a course afterwards (its hours, its
description), and loading again only adds the courses that are missing, by slug, and
never overwrites their edits. A command also survives the test suite's table flushes
and lets a coalition in another city load its own list.

Signature Outreach Training's 144 hours over 18 weeks and its topics come from the
coalition's description of the academy. The hours and lengths of the other courses are
placeholders for the coalition to set: they are not published figures.
"""

from dataclasses import dataclass
from decimal import Decimal

from peacehub.academy.models import Audience


@dataclass(frozen=True)
class CatalogueCourse:
    slug: str
    name: str
    name_es: str
    summary: str
    summary_es: str
    audience: Audience
    required_hours: Decimal
    length_weeks: int | None


SIGNATURE_OUTREACH = "signature-outreach-training"
CASE_MANAGER = "case-manager-training"
MPA_X = "mpa-x"
COMMUNITY_TRAINING_ACADEMY = "community-training-academy"
RECAST = "recast-community-trainings"

CATALOGUE = (
    CatalogueCourse(
        slug=SIGNATURE_OUTREACH,
        name="Signature Outreach Training",
        name_es="Capacitación de Alcance Comunitario Insignia",
        summary=(
            "The coalition's core training for street outreach workers: 144 hours over "
            "18 weeks. Topics: nonviolence, trauma-informed services, restorative justice."
        ),
        summary_es=(
            "La capacitación central de la coalición para trabajadores de alcance "
            "comunitario en la calle: 144 horas en 18 semanas. Temas: no violencia, "
            "servicios informados sobre el trauma, justicia restaurativa."
        ),
        audience=Audience.COALITION_STAFF,
        required_hours=Decimal(144),
        length_weeks=18,
    ),
    CatalogueCourse(
        slug=CASE_MANAGER,
        name="Case Manager Training",
        name_es="Capacitación para Administradores de Casos",
        summary=(
            "Intake and needs assessment, individual service plans, referrals followed "
            "until they close, re-entry planning and case notes."
        ),
        summary_es=(
            "Admisión y evaluación de necesidades, planes de servicio individuales, "
            "referidos seguidos hasta su cierre, planificación del regreso a la comunidad "
            "y notas de caso."
        ),
        audience=Audience.COALITION_STAFF,
        required_hours=Decimal(80),
        length_weeks=10,
    ),
    CatalogueCourse(
        slug=MPA_X,
        name="MPA-X",
        name_es="MPA-X",
        summary=(
            "The academy's training for outreach professionals who work outside the "
            "coalition: nonviolence, trauma-informed services and restorative justice "
            "in street outreach."
        ),
        summary_es=(
            "La capacitación de la academia para profesionales de alcance comunitario "
            "que trabajan fuera de la coalición: no violencia, servicios informados sobre "
            "el trauma y justicia restaurativa en el alcance comunitario."
        ),
        audience=Audience.OUTREACH_PROFESSIONALS,
        required_hours=Decimal(40),
        length_weeks=5,
    ),
    CatalogueCourse(
        slug=COMMUNITY_TRAINING_ACADEMY,
        name="Community Training Academy",
        name_es="Academia de Capacitación Comunitaria",
        summary=(
            "For police officers: how community violence intervention works, the "
            "communities it serves, trauma and its effects. Officers are trainees only: "
            "the training gives no access to any record of the people the coalition serves."
        ),
        summary_es=(
            "Para agentes de policía: cómo funciona la intervención comunitaria contra "
            "la violencia, las comunidades a las que sirve, el trauma y sus efectos. Los "
            "agentes solo son participantes de la capacitación: no da acceso a ningún "
            "registro de las personas a las que sirve la coalición."
        ),
        audience=Audience.POLICE_OFFICERS,
        required_hours=Decimal(24),
        length_weeks=3,
    ),
    CatalogueCourse(
        slug=RECAST,
        name="ReCAST community trainings",
        name_es="Capacitaciones comunitarias ReCAST",
        summary=(
            "Free trainings for residents: adverse childhood experiences, the impact of "
            "community violence, mental health and wellness, nonviolence, restorative "
            "justice practices, self-care and trauma-informed care."
        ),
        summary_es=(
            "Capacitaciones gratuitas para residentes: experiencias adversas en la "
            "infancia, el impacto de la violencia comunitaria, salud mental y bienestar, "
            "no violencia, prácticas de justicia restaurativa, autocuidado y atención "
            "informada sobre el trauma."
        ),
        audience=Audience.COMMUNITY,
        required_hours=Decimal(14),
        length_weeks=7,
    ),
)
