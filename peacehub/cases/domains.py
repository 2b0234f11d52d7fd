"""The life domains a case works on. One list for the needs assessment, the service
plan's goals and the service directory's categories of need, so that a need found in an
assessment leads straight to the services that meet it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Domain(models.TextChoices):
    SAFETY = "safety", _("Safety")
    HOUSING = "housing", _("Housing")
    EMPLOYMENT = "employment", _("Employment")
    EDUCATION = "education", _("Education and GED")
    LEGAL = "legal", _("Legal")
    PHYSICAL_HEALTH = "physical_health", _("Physical health")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    SUBSTANCE_USE = "substance_use", _("Substance use")
    FAMILY = "family", _("Family")
    PUBLIC_BENEFITS = "public_benefits", _("Public benefits")
    IDENTITY_DOCUMENTS = "identity_documents", _("Identity documents")
