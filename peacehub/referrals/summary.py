"""What other pages show of referrals: counts on a caseload, the list on a case."""

import datetime
from collections import defaultdict

from django.utils import timezone

from peacehub.referrals.models import OPEN_STATUSES, STALE_AFTER_DAYS, Referral


def referral_counts_for_cases(case_ids) -> dict:
    """case id → (open referrals, stale referrals), in one query."""
    counts: dict = defaultdict(lambda: [0, 0])
    stale_before = timezone.now() - datetime.timedelta(days=STALE_AFTER_DAYS)
    for case_id, updated_at in Referral.objects.filter(
        case_id__in=case_ids, status__in=OPEN_STATUSES
    ).values_list("case_id", "updated_at"):
        counts[case_id][0] += 1
        if updated_at <= stale_before:
            counts[case_id][1] += 1
    return {case_id: tuple(pair) for case_id, pair in counts.items()}


def referrals_sent_for_case(case):
    return Referral.objects.filter(case=case).select_related("service", "receiving_organization")
