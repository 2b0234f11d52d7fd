"""Free text is never cut by the phone: no maxlength in the referral pages, the limit
said under the field, and a longer text refused by the server on its field, with nothing
saved and all of it shown again."""

import pytest
from django.urls import reverse

from peacehub.people.models import ConsentKind, ShareScope
from peacehub.people.tests.factories import ConsentFactory
from peacehub.referrals.models import Referral, ReferralEvent, ReferralStatus
from peacehub.referrals.tests.factories import ReferralFactory, coalition_service
from tests.text_limits import assert_limit_said_and_too_long_refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(legal_aid):
    return coalition_service(legal_aid)


@pytest.fixture
def consent(person_a, legal_aid):
    return ConsentFactory(
        person=person_a, kind=ConsentKind.SHARE, recipient=legal_aid, scope=[ShareScope.PHONE]
    )


def test_a_referrals_reason_is_not_cut_and_too_long_is_refused(
    client_for, carmen, person_a, service, consent
):
    url = reverse("referrals:new", args=[person_a.pk])
    assert_limit_said_and_too_long_refused(
        client_for(carmen), url, "reason", 1000, url, {"service": service.pk, "consent": consent.pk}
    )
    assert not Referral.objects.exists()


def test_a_steps_note_is_not_cut_and_too_long_is_refused(
    client_for, carmen, lena, person_a, service, consent
):
    referral = ReferralFactory(person=person_a, service=service, consent=consent, sent_by=carmen)
    assert_limit_said_and_too_long_refused(
        client_for(lena),
        reverse("referrals:detail", args=[referral.pk]),
        "note",
        300,
        reverse("referrals:step", args=[referral.pk]),
        {"status": "declined"},
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert ReferralEvent.objects.filter(referral=referral).count() == 1
