"""Who sees which referral, and how much of it. The one place that decides.

- The sending side: members of the sending organization whose role has VIEW_CASES or
  SEND_REFERRALS see the whole referral and every step.
- The receiving side: members of the receiving organization whose role has
  RECEIVE_REFERRALS see the referral packet only — the person's name, how to reach
  them (their phone only if the consent lists it), the reason and the preferred
  language — and only while the person's consent naming that organization is current.
  Revoking or expiring the consent ends that access on the next request.
- Everyone else: 404, exactly as for a referral that does not exist.
"""

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from peacehub.accounts.access import organization_ids_with
from peacehub.accounts.roles import Permission
from peacehub.http import uuid_or_none
from peacehub.people.models import ShareScope
from peacehub.referrals.models import Referral


class Side(StrEnum):
    SENDER = "sender"
    RECEIVER = "receiver"


def _current_consent(prefix: str = "consent__") -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}revoked_at__isnull": True, f"{prefix}given_on__lte": today}) & (
        Q(**{f"{prefix}expires_on__isnull": True}) | Q(**{f"{prefix}expires_on__gte": today})
    )


def sending_organization_ids(user) -> set[UUID]:
    return set(organization_ids_with(user, Permission.VIEW_CASES)) | set(
        organization_ids_with(user, Permission.SEND_REFERRALS)
    )


def referrals_sent_by(user) -> QuerySet:
    return Referral.objects.filter(sending_organization_id__in=sending_organization_ids(user))


def referrals_received_by(user) -> QuerySet:
    return Referral.objects.filter(
        _current_consent(),
        receiving_organization_id__in=organization_ids_with(user, Permission.RECEIVE_REFERRALS),
    )


@dataclass(frozen=True)
class ReferralAccess:
    referral: Referral
    side: Side

    @property
    def shares_phone(self) -> bool:
        return ShareScope.PHONE in (self.referral.consent.scope or [])


def get_referral_for_user(user, referral_id: UUID) -> ReferralAccess:
    base = Referral.objects.select_related(
        "person", "service", "sending_organization", "receiving_organization", "consent", "sent_by"
    )
    referral = referrals_sent_by(user).filter(pk=referral_id).first()
    if referral is not None:
        return ReferralAccess(base.get(pk=referral.pk), Side.SENDER)
    referral = referrals_received_by(user).filter(pk=referral_id).first()
    if referral is not None:
        return ReferralAccess(base.get(pk=referral.pk), Side.RECEIVER)
    raise Http404


def received_without_consent(user, referral_id: UUID) -> Referral | None:
    """A referral the user's organization received, whose consent was revoked or has
    expired since: it can no longer be opened there; a step posted on a page left open
    is only told why nothing was saved. None for any other id."""
    return (
        Referral.objects.filter(
            pk=referral_id,
            receiving_organization_id__in=organization_ids_with(user, Permission.RECEIVE_REFERRALS),
        )
        .exclude(_current_consent())
        .select_related("consent")
        .first()
    )


def received_referral(user, referral_id) -> ReferralAccess | None:
    """A referral the user's organization received and still sees (consent current),
    or None for any other id: the receiving side only."""
    referral_id = uuid_or_none(referral_id)
    if referral_id is None:
        return None
    referral = (
        referrals_received_by(user)
        .select_related("person", "sending_organization", "consent")
        .filter(pk=referral_id)
        .first()
    )
    return ReferralAccess(referral, Side.RECEIVER) if referral is not None else None


def packet_person_fields(access: ReferralAccess) -> dict:
    """What the packet shows of the person, as the fields of the receiver's own record
    of them: names and language, and the phone only when the consent shares it."""
    person = access.referral.person
    fields = {
        "legal_first_name": person.legal_first_name,
        "legal_last_name": person.legal_last_name,
        "preferred_name": person.preferred_name,
        "preferred_language": person.preferred_language,
    }
    if access.shares_phone and person.phone:
        fields["phone"] = person.phone
    return fields
