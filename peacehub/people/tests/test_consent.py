import datetime
import html
import re
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peacehub.accounts.services import api_token_create
from peacehub.people.forms import ConsentRevokeForm
from peacehub.people.models import Consent, ConsentKind, ShareScope
from peacehub.people.tests.factories import ConsentFactory
from peacehub.referrals.tests.factories import ReferralFactory, coalition_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def share(person_a, legal_aid):
    """A consent to share with the legal aid provider, and the open referral to it
    that the consent covers: sharing happens only through a referral."""
    person_a.phone = "(773) 555-0199"
    person_a.nicknames = "Jay"
    person_a.save(update_fields=["phone", "nicknames"])
    consent = ConsentFactory(
        person=person_a,
        kind=ConsentKind.SHARE,
        recipient=legal_aid,
        scope=[ShareScope.PHONE],
    )
    ReferralFactory(person=person_a, service=coalition_service(legal_aid), consent=consent)
    return consent


def test_a_consent_without_a_referral_shares_nothing(client_for, lena, person_a, legal_aid):
    ConsentFactory(person=person_a, kind=ConsentKind.SHARE, recipient=legal_aid)
    assert client_for(lena).get(reverse("people:detail", args=[person_a.pk])).status_code == 404


def test_a_closed_referral_shares_nothing(client_for, lena, person_a, share):
    share.referrals.update(status="closed")
    assert client_for(lena).get(reverse("people:detail", args=[person_a.pk])).status_code == 404


def test_alice_records_a_sharing_consent(client_for, alice, person_a, legal_aid):
    response = client_for(alice).post(
        reverse("people:consent_create", args=[person_a.pk]),
        {
            "kind": "share",
            "recipient": legal_aid.pk,
            "scope": ["phone"],
            "method": "signed",
            "given_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get(person=person_a)
    assert consent.recipient == legal_aid
    assert consent.scope == ["phone"]


@pytest.mark.parametrize("from_elsewhere", [False, True])
def test_recording_consent_from_the_referral_form_goes_back_to_it(
    client_for, carmen, person_a, legal_aid, from_elsewhere
):
    """The referral form says a consent is needed and leads here; once it is recorded
    the case manager is back on the referral form (and never sent to another site)."""
    client = client_for(carmen)
    referral_form = reverse("referrals:new", args=[person_a.pk])
    page = client.get(referral_form)
    assert 'name="record_consent"' in page.content.decode()
    detour = client.post(referral_form, {"record_consent": "1", "reason": ""})
    consent_form = reverse("people:consent_create", args=[person_a.pk])
    assert detour["Location"] == f"{consent_form}?" + urlencode({"next": referral_form})
    next_page = "https://elsewhere.example/" if from_elsewhere else f"{referral_form}?need=legal"

    response = client.post(
        reverse("people:consent_create", args=[person_a.pk]) + "?" + urlencode({"next": next_page}),
        {
            "kind": "share",
            "recipient": legal_aid.pk,
            "method": "signed",
            "given_on": timezone.localdate().isoformat(),
        },
    )

    expected = reverse("people:detail", args=[person_a.pk]) if from_elsewhere else next_page
    assert response["Location"] == expected


def test_shared_person_shows_only_what_the_consent_lists(client_for, lena, person_a, share):
    response = client_for(lena).get(reverse("people:detail", args=[person_a.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Jamal Washington" in content
    assert "(773) 555-0199" in content  # the phone is in the consent's scope
    assert "Jay" not in content  # nicknames never travel
    assert "Status history" not in content
    assert "Englewood" not in content  # the community area is not in the scope


def test_shared_person_cannot_be_edited_by_the_recipient(client_for, lena, person_a, share):
    client = client_for(lena)
    assert client.get(reverse("people:edit", args=[person_a.pk])).status_code == 404
    assert client.get(reverse("people:consent_create", args=[person_a.pk])).status_code == 404


def test_shared_people_never_join_the_recipients_own_list(client_for, lena, person_a, share):
    client = client_for(lena)
    own = client.get(reverse("people:list"), {"q": "Jamal"})
    shared = client.get(reverse("people:shared"))

    assert b"Jamal Washington" not in own.content
    assert list(own.context["page"].object_list) == []
    assert b"Jamal Washington" in shared.content


def test_revoking_the_consent_ends_access_at_once(client_for, alice, lena, person_a, share):
    _, raw = api_token_create(user=lena, name="sync")
    api_headers = {"Authorization": f"Bearer {raw}"}
    detail = reverse("people:detail", args=[person_a.pk])
    lena_client = client_for(lena)
    assert lena_client.get(detail).status_code == 200
    assert lena_client.get(f"/api/v1/people/{person_a.pk}", headers=api_headers).status_code == 200

    alice_client = Client()
    alice_client.force_login(alice)
    response = alice_client.post(
        reverse("people:consent_revoke", args=[person_a.pk, share.pk]), {"note": "Asked to stop"}
    )
    assert response.status_code == 302

    assert lena_client.get(detail).status_code == 404
    assert lena_client.get(f"/api/v1/people/{person_a.pk}", headers=api_headers).status_code == 404
    assert b"Jamal Washington" not in lena_client.get(reverse("people:shared")).content
    share.refresh_from_db()
    assert share.revoked_at is not None


def test_an_expired_consent_allows_nothing(client_for, lena, person_a, share):
    share.given_on = timezone.localdate() - datetime.timedelta(days=30)
    share.expires_on = timezone.localdate() - datetime.timedelta(days=1)
    share.save(update_fields=["given_on", "expires_on"])

    assert client_for(lena).get(reverse("people:detail", args=[person_a.pk])).status_code == 404


def test_a_consent_for_another_organization_shares_nothing(client_for, charlie, person_a, share):
    client = client_for(charlie)
    assert client.get(reverse("people:detail", args=[person_a.pk])).status_code == 404
    shared = client.get(reverse("people:shared"))
    assert b"Jamal" not in shared.content
    assert list(shared.context["page"].object_list) == []


@pytest.mark.parametrize(
    "data, field",
    [
        ({"kind": "share", "method": "signed", "given_on": "2020-01-01"}, "recipient"),
        ({"kind": "services", "method": "signed", "given_on": "2999-01-01"}, "given_on"),
        (
            {
                "kind": "services",
                "method": "signed",
                "given_on": "2024-05-01",
                "expires_on": "2024-04-01",
            },
            "expires_on",
        ),
        ({"kind": "police", "method": "signed", "given_on": "2024-05-01"}, "kind"),
    ],
)
def test_bad_consent_is_refused_and_nothing_saved(client_for, alice, person_a, data, field):
    response = client_for(alice).post(reverse("people:consent_create", args=[person_a.pk]), data)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert b"Nothing was saved" in response.content
    assert not Consent.objects.filter(person=person_a).exists()


def test_revoking_twice_is_refused(client_for, alice, person_a, share):
    client = client_for(alice)
    url = reverse("people:consent_revoke", args=[person_a.pk, share.pk])
    client.post(url)
    share.refresh_from_db()
    revoked_at = share.revoked_at

    response = client.post(url, follow=True)

    share.refresh_from_db()
    assert share.revoked_at == revoked_at
    assert b"already revoked" in response.content


def _tag(page: str, name: str) -> str:
    """The first <input> or <textarea> posting ``name``."""
    match = re.search(rf'<(?:input|textarea)[^>]*\bname="{name}"[^>]*>', page)
    assert match, f"no field {name}"
    return match.group()


def test_a_revocation_note_is_not_cut_and_too_long_comes_back_whole(
    client_for, alice, person_a, share
):
    """The phone never cuts the note: the limit is said under it, and a longer note is
    refused on its field with all of it shown again, the consent still in force."""
    client = client_for(alice)
    page = client.get(reverse("people:detail", args=[person_a.pk])).content.decode()
    assert "maxlength" not in _tag(page, "note")
    limit = ConsentRevokeForm.base_fields["note"].max_length
    assert f"At most {limit} characters." in page

    too_long = "Asked us to stop sharing with the legal aid office " + "n" * limit
    response = client.post(
        reverse("people:consent_revoke", args=[person_a.pk, share.pk]), {"note": too_long}
    )

    assert response.status_code == 400
    content = html.unescape(response.content.decode())
    assert f"at most {limit} characters (it has {len(too_long)})" in content
    assert f'value="{too_long}"' in content
    assert "Nothing was saved" in content
    share.refresh_from_db()
    assert share.revoked_at is None


def test_revoking_twice_says_why_on_the_page(client_for, alice, person_a, share):
    client = client_for(alice)
    url = reverse("people:consent_revoke", args=[person_a.pk, share.pk])
    client.post(url)

    response = client.post(url, {"note": "Second tap"})

    assert response.status_code == 400
    assert "This consent was already revoked." in response.content.decode()
