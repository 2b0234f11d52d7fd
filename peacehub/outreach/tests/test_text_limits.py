"""Free text is never cut by the phone: no maxlength in the page, the limit said under
the field, and a longer text refused by the server on its field, with nothing saved and
all of it shown again."""

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from peacehub.outreach.forms import ReturnForm
from peacehub.outreach.models import (
    Agreement,
    AgreementStateChange,
    Conflict,
    ConflictParty,
    Contact,
    Incident,
    IncidentResponse,
    Introduction,
    MediationSession,
    ResponseAction,
)
from peacehub.outreach.tests.factories import (
    ConflictFactory,
    IncidentFactory,
    IntroductionFactory,
    area,
)
from tests.text_limits import assert_limit_said_and_too_long_refused, field_tag

pytestmark = pytest.mark.django_db


def _now() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def pages(org_a, person_a):
    """(name, page to read, field, limit, what to post, where, the model that stays
    empty) for each free-text field of outreach."""
    conflict = ConflictFactory(organization=org_a, community_area=area(68))
    agreement = Agreement.objects.create(
        conflict=conflict, kind="peace", made_on=timezone.localdate()
    )
    incident = IncidentFactory(reported_by_organization=org_a)
    response = IncidentResponse.objects.create(incident=incident, organization=org_a)
    on_conflict = reverse("outreach:conflict", args=[conflict.pk])
    on_incident = reverse("outreach:incident", args=[incident.pk])
    return {
        "contact note": (
            reverse("outreach:contact_new"),
            "note",
            500,
            reverse("outreach:contact_new"),
            {
                "person": person_a.pk,
                "contact_type": "street",
                "occurred_at": _now(),
                "community_area": area(68).pk,
            },
            Contact,
        ),
        "incident place": (
            reverse("outreach:incident_new"),
            "block",
            120,
            reverse("outreach:incident_new"),
            {
                "kind": "threat",
                "occurred_at": _now(),
                "community_area": area(68).pk,
                "source": "community",
            },
            None,  # the fixture's one incident stays the only one
        ),
        "incident summary": (
            reverse("outreach:incident_new"),
            "summary",
            300,
            reverse("outreach:incident_new"),
            {
                "kind": "threat",
                "occurred_at": _now(),
                "community_area": area(68).pk,
                "source": "community",
            },
            None,
        ),
        "response action note": (
            on_incident,
            "note",
            1000,
            reverse("outreach:response_action", args=[response.pk]),
            {"kind": "rumor_control"},
            ResponseAction,
        ),
        "mediation label": (
            reverse("outreach:conflict_new"),
            "label",
            100,
            reverse("outreach:conflict_new"),
            {"community_area": area(68).pk},
            None,
        ),
        "party group label": (
            on_conflict,
            "group_label",
            40,
            reverse("outreach:conflict_party_add", args=[conflict.pk]),
            {},
            ConflictParty,
        ),
        "session note": (
            on_conflict,
            "note",
            1000,
            reverse("outreach:mediation_session_add", args=[conflict.pk]),
            {"held_on": timezone.localdate().isoformat()},
            MediationSession,
        ),
        "agreement change note": (
            on_conflict,
            "note",
            1000,
            reverse("outreach:agreement_state", args=[conflict.pk, agreement.pk]),
            {"state": "strained", "changed_on": timezone.localdate().isoformat()},
            AgreementStateChange,
        ),
        "introduction summary": (
            reverse("outreach:introduction_new", args=[person_a.pk]),
            "summary",
            1000,
            reverse("outreach:introduction_new", args=[person_a.pk]),
            {},
            Introduction,
        ),
    }


@pytest.mark.parametrize(
    "name",
    [
        "contact note",
        "incident place",
        "incident summary",
        "response action note",
        "mediation label",
        "party group label",
        "session note",
        "agreement change note",
        "introduction summary",
    ],
)
def test_free_text_is_not_cut_by_the_browser_and_too_long_is_refused(
    client_for, alice, carmen, pages, name
):
    page_url, field, limit, post_url, data, model = pages[name]
    client = client_for(alice)
    if name == "introduction summary":
        data = {**data, "case_manager": carmen.memberships.get().pk}
    before = {m: m.objects.count() for m in (Incident, Conflict)}
    assert_limit_said_and_too_long_refused(client, page_url, field, limit, post_url, data)
    if model is not None:
        assert not model.objects.exists()
    assert {m: m.objects.count() for m in (Incident, Conflict)} == before


def test_a_return_reason_says_its_limit_and_too_long_is_refused_with_why(
    client_for, carmen, person_a
):
    introduction = IntroductionFactory(person=person_a, case_manager=carmen)
    client = client_for(carmen)
    page = client.get(reverse("outreach:introductions")).content.decode()
    assert "maxlength" not in field_tag(page, "reason")
    limit = ReturnForm.base_fields["reason"].max_length
    assert f"At most {limit} characters." in page

    too_long = "Already works with a partner's case manager " + "r" * limit
    response = client.post(
        reverse("outreach:introduction_return", args=[introduction.pk]),
        {"reason": too_long, "next": reverse("cases:caseload")},
    )

    introduction.refresh_from_db()
    assert introduction.status == "pending"
    # The page again, not a redirect: the error on the field, and all of the reason
    # typed, to shorten rather than to type again.
    assert response.status_code == 400
    content = html.unescape(response.content.decode())
    assert f"at most {limit} characters (it has {len(too_long)})" in content
    assert f'value="{too_long}"' in content
    assert 'aria-invalid="true"' in field_tag(content, "reason")
    # Sent again from there, it still goes back to where the answer was given.
    assert f'name="next" value="{reverse("cases:caseload")}"' in content


def test_the_limit_joins_a_help_text_the_field_had(client_for, alice):
    page = html.unescape(client_for(alice).get(reverse("outreach:incident_new")).content.decode())
    assert "never an address. At most 120 characters." in page
    assert "no names. At most 300 characters." in page
