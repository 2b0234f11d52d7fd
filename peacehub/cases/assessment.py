"""The needs assessment's first version, and how ratings are drawn over time."""

from django.utils.translation import get_language

from peacehub.cases.domains import Domain

ASSESSMENT_NAME = "needs"
REASSESS_EVERY_DAYS = 90

# Version 1, as published. A later version is a new AssessmentTemplate row (data
# migration); this constant stays as the record of what version 1 asked.
VERSION_1 = [
    {
        "key": Domain.SAFETY,
        "label_en": "Safety",
        "label_es": "Seguridad",
        "question_en": "How safe do you feel where you live, work and spend time?",
        "question_es": "¿Qué tan seguro(a) se siente donde vive, trabaja y pasa el tiempo?",
    },
    {
        "key": Domain.HOUSING,
        "label_en": "Housing",
        "label_es": "Vivienda",
        "question_en": "Do you have a stable place to stay?",
        "question_es": "¿Tiene un lugar estable donde quedarse?",
    },
    {
        "key": Domain.EMPLOYMENT,
        "label_en": "Employment",
        "label_es": "Empleo",
        "question_en": "Do you have work, or the income you need?",
        "question_es": "¿Tiene trabajo, o los ingresos que necesita?",
    },
    {
        "key": Domain.EDUCATION,
        "label_en": "Education and GED",
        "label_es": "Educación y GED",
        "question_en": "Are you where you want to be with school or a GED?",
        "question_es": "¿Está donde quiere estar con la escuela o el GED?",
    },
    {
        "key": Domain.LEGAL,
        "label_en": "Legal",
        "label_es": "Legal",
        "question_en": "Are there court dates, records or legal problems weighing on you?",
        "question_es": "¿Le pesan fechas de corte, antecedentes o problemas legales?",
    },
    {
        "key": Domain.PHYSICAL_HEALTH,
        "label_en": "Physical health",
        "label_es": "Salud física",
        "question_en": "How is your physical health, and can you get care?",
        "question_es": "¿Cómo está su salud física y puede recibir atención?",
    },
    {
        "key": Domain.MENTAL_HEALTH,
        "label_en": "Mental health",
        "label_es": "Salud mental",
        "question_en": "How are you coping: sleep, stress, grief?",
        "question_es": "¿Cómo lo está llevando: sueño, estrés, duelo?",
    },
    {
        "key": Domain.SUBSTANCE_USE,
        "label_en": "Substance use",
        "label_es": "Consumo de sustancias",
        "question_en": "Is alcohol or drug use getting in the way?",
        "question_es": "¿El alcohol o las drogas le están afectando?",
    },
    {
        "key": Domain.FAMILY,
        "label_en": "Family",
        "label_es": "Familia",
        "question_en": "How are things with your family and the people close to you?",
        "question_es": "¿Cómo van las cosas con su familia y las personas cercanas?",
    },
    {
        "key": Domain.PUBLIC_BENEFITS,
        "label_en": "Public benefits",
        "label_es": "Beneficios públicos",
        "question_en": "Are you getting the benefits you qualify for (SNAP, Medicaid…)?",
        "question_es": "¿Recibe los beneficios a los que tiene derecho (SNAP, Medicaid…)?",
    },
    {
        "key": Domain.IDENTITY_DOCUMENTS,
        "label_en": "Identity documents",
        "label_es": "Documentos de identidad",
        "question_en": "Do you have a state ID, birth certificate and Social Security card?",
        "question_es": (
            "¿Tiene identificación estatal, acta de nacimiento y tarjeta de Seguro Social?"
        ),
    },
]


def localized(domain: dict, field: str) -> str:
    """A label or question of a template's domain in the current language."""
    language = (get_language() or "en")[:2]
    return domain.get(f"{field}_{language}") or domain[f"{field}_en"]


def sparkline(ratings: list[int], width: int = 120, height: int = 32) -> str:
    """Path data for ratings (1–5) from oldest to newest, to draw in a small inline
    SVG. One rating draws a dot; none, nothing."""
    if not ratings:
        return ""
    step = width / max(len(ratings) - 1, 1)
    points = [
        (round(i * step, 1), round(height - (r - 1) / 4 * (height - 4) - 2, 1))
        for i, r in enumerate(ratings)
    ]
    if len(points) == 1:
        x, y = points[0]
        return f"M{x},{y}h0.1"
    return "M" + "L".join(f"{x},{y}" for x, y in points)
