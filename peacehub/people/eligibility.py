"""The CVI eligibility checklist: documented, shown to the person, open to challenge.

There is no score and no model: each criterion is a fact a worker checked, with the
date and how they know. Adding a criterion here adds it to the form, the printable
sheet and the API.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Criterion(models.TextChoices):
    RECENT_GUNSHOT_VICTIM = "recent_gunshot_victim", _("Survived a shooting in the last 12 months")
    RECENTLY_RELEASED = (
        "recently_released",
        _("Came home from prison or jail in the last 12 months"),
    )
    ACTIVE_CONFLICT = "active_conflict", _("Involved in an active conflict that could turn violent")
    FAMILY_OF_VICTIM = (
        "family_of_victim",
        _("Close family member or friend of someone shot in the last 12 months"),
    )
    HOSPITAL_REFERRAL = (
        "hospital_referral",
        _("Referred by a hospital violence intervention program after an injury"),
    )
    AGE_BAND = "age_band", _("Aged 16 to 35")
    FOCUS_AREA = "focus_area", _("Lives or spends time in one of the coalition's focus areas")


CRITERION_EXPLANATIONS = {
    Criterion.RECENT_GUNSHOT_VICTIM: _(
        "From the person, their family or a hospital program; never from police records."
    ),
    Criterion.RECENTLY_RELEASED: _("From the person or a re-entry program."),
    Criterion.ACTIVE_CONFLICT: _(
        "A conflict the person or the outreach team knows about. No group or gang is named."
    ),
    Criterion.FAMILY_OF_VICTIM: _("From the person or their family."),
    Criterion.HOSPITAL_REFERRAL: _("The referring program is noted."),
    Criterion.AGE_BAND: _("From the date of birth or the age the person gives."),
    Criterion.FOCUS_AREA: _("The community area the person names."),
}

RULE = _(
    "Street outreach and case management are offered to a person for whom at least one of "
    "these criteria holds. Each entry shows when it was checked and how the worker knows. "
    "There is no score. You may ask to see this sheet at any time, and to have any entry "
    "corrected or removed."
)
