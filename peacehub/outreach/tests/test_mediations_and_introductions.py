import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from peacehub.accounts.roles import Role
from peacehub.accounts.tests.factories import member
from peacehub.audit.models import AuditEvent
from peacehub.cases.models import Case, Intake
from peacehub.cases.tests.factories import CaseFactory
from peacehub.outreach.models import (
    Agreement,
    Conflict,
    ConflictParty,
    Introduction,
    MediationSession,
)
from peacehub.outreach.tests.factories import ConflictFactory, IntroductionFactory, area
from peacehub.people.models import Status

pytestmark = pytest.mark.django_db

TODAY = lambda: timezone.localdate()  # noqa: E731


def test_a_mediation_with_parties_sessions_and_an_agreement_over_time(client_for, alice, person_a):
    client = client_for(alice)
    client.post(
        reverse("outreach:conflict_new"),
        {
            "label": "Conflict 12 — Englewood",
            "community_area": area(68).pk,
            # Recorded after the first weeks of work.
            "opened_on": (TODAY() - datetime.timedelta(days=14)).isoformat(),
        },
    )
    conflict = Conflict.objects.get()
    assert conflict.opened_on == TODAY() - datetime.timedelta(days=14)
    url = lambda name, *args: reverse(f"outreach:{name}", args=[conflict.pk, *args])  # noqa: E731
    client.post(url("conflict_party_add"), {"person": person_a.pk})
    client.post(url("conflict_party_add"), {"group_label": "Group A"})
    client.post(
        url("mediation_session_add"), {"held_on": TODAY().isoformat(), "note": "Met at the park"}
    )
    made_on = TODAY() - datetime.timedelta(days=10)
    client.post(
        url("agreement_add"),
        {
            "kind": "non_aggression",
            "made_on": made_on.isoformat(),
            "review_on": TODAY().isoformat(),
        },
    )
    agreement = Agreement.objects.get()
    client.post(
        url("agreement_state", agreement.pk),
        {"state": "strained", "changed_on": TODAY().isoformat(), "note": "Words at the store"},
    )

    agreement.refresh_from_db()
    assert set(conflict.parties.values_list("person_id", "group_label")) == {
        (person_a.pk, ""),
        (None, "Group A"),
    }
    assert MediationSession.objects.get().note == "Met at the park"
    assert agreement.state == "strained"
    assert list(agreement.history.order_by("changed_on").values_list("state", flat=True)) == [
        "holding",
        "strained",
    ]
    page = client.get(reverse("outreach:conflict", args=[conflict.pk])).content.decode()
    assert "Group A" in page and "Jamal Washington" in page and "Strained" in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Choose a participant or write a neutral group label."),
        ({"group_label": "   "}, "Choose a participant or write a neutral group label."),
        ({"group_label": "Group A", "person": "PERSON"}, "not both"),
        ({"person": "00000000-0000-4000-8000-000000000001"}, "Choose a participant"),
        ({"group_label": "g" * 41}, "at most 40"),
    ],
)
def test_bad_parties_are_refused(client_for, alice, org_a, person_a, data, message):
    conflict = ConflictFactory(organization=org_a)
    data = {k: (person_a.pk if v == "PERSON" else v) for k, v in data.items()}
    response = client_for(alice).post(
        reverse("outreach:conflict_party_add", args=[conflict.pk]), data
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ConflictParty.objects.exists()


def test_another_organizations_participant_is_not_a_party(client_for, alice, org_a, person_b):
    conflict = ConflictFactory(organization=org_a)
    response = client_for(alice).post(
        reverse("outreach:conflict_party_add", args=[conflict.pk]), {"person": person_b.pk}
    )
    assert response.status_code == 400
    assert not ConflictParty.objects.exists()


@pytest.mark.parametrize(
    "name, data",
    [
        ("mediation_session_add", {"held_on": "2999-01-01"}),
        ("agreement_add", {"kind": "peace", "made_on": "2999-01-01"}),
        ("agreement_add", {"kind": "peace", "made_on": "2024-05-01", "review_on": "2024-04-01"}),
        ("agreement_add", {"kind": "truce", "made_on": "2024-05-01"}),
    ],
)
def test_bad_sessions_and_agreements_are_refused(client_for, alice, org_a, name, data):
    conflict = ConflictFactory(organization=org_a)
    response = client_for(alice).post(reverse(f"outreach:{name}", args=[conflict.pk]), data)
    assert response.status_code == 400
    assert not MediationSession.objects.exists()
    assert not Agreement.objects.exists()


def test_an_agreement_change_before_it_was_made_is_refused(client_for, alice, org_a):
    conflict = ConflictFactory(organization=org_a)
    agreement = Agreement.objects.create(conflict=conflict, kind="peace", made_on=TODAY())
    response = client_for(alice).post(
        reverse("outreach:agreement_state", args=[conflict.pk, agreement.pk]),
        {"state": "broken", "changed_on": (TODAY() - datetime.timedelta(days=3)).isoformat()},
    )
    agreement.refresh_from_db()
    assert response.status_code == 400
    assert agreement.state == "holding"


def test_mediations_stay_inside_the_organization(client_for, charlie, org_a):
    conflict = ConflictFactory(organization=org_a, label="Conflict 7")
    client = client_for(charlie)
    assert client.get(reverse("outreach:conflict", args=[conflict.pk])).status_code == 404
    assert b"Conflict 7" not in client.get(reverse("outreach:conflicts")).content


def days_ago(days: int) -> datetime.date:
    return TODAY() - datetime.timedelta(days=days)


def agreement_cards(page: str) -> list[str]:
    """The HTML of each agreement on a mediation's page, in the order shown."""
    cards = page.split('<div class="card" id="agreement-')[1:]
    return [card.split("\n  </div>")[0] for card in cards]


def test_a_mediation_is_closed_and_reopened(client_for, alice, bob, org_a):
    conflict = ConflictFactory(organization=org_a, label="Conflict 9", opened_on=days_ago(30))
    Agreement.objects.create(conflict=conflict, kind="peace", made_on=days_ago(20))
    client = client_for(alice)
    page = reverse("outreach:conflict", args=[conflict.pk])
    assert "Close mediation" in client.get(page).content.decode()

    response = client.post(
        reverse("outreach:conflict_close", args=[conflict.pk]),
        {"closed_on": TODAY().isoformat()},
        follow=True,
    )

    conflict.refresh_from_db()
    assert conflict.closed_on == TODAY()
    body = response.content.decode()
    assert "Mediation closed." in body and "This mediation is closed" in body
    for form in ("sessions", "agreements", "parties", "state", "close"):
        assert f'/{form}/" novalidate' not in body
    assert "Reopen mediation" in body
    assert "Conflict 9" not in client.get(reverse("outreach:conflicts")).content.decode()
    with_closed = client.get(reverse("outreach:conflicts") + "?closed=1").content.decode()
    assert "Conflict 9" in with_closed and "Closed" in with_closed
    assert client_for(bob).get(reverse("outreach:supervisor")).context["mediations_by_state"] == []

    client_for(alice).post(reverse("outreach:conflict_reopen", args=[conflict.pk]))
    conflict.refresh_from_db()
    assert conflict.closed_on is None
    assert "Conflict 9" in client.get(reverse("outreach:conflicts")).content.decode()
    assert 'sessions/" novalidate' in client.get(page).content.decode()


@pytest.mark.parametrize(
    "closed_on, message",
    [
        ("TOMORROW", "A mediation cannot close in the future."),
        ("BEFORE_OPENED", "A mediation cannot close before it was opened"),
        ("", "This field is required."),
        ("someday", "Enter a valid date."),
    ],
)
def test_bad_closing_dates_are_refused(client_for, alice, org_a, closed_on, message):
    conflict = ConflictFactory(organization=org_a, opened_on=days_ago(30))
    closed_on = {"TOMORROW": days_ago(-1), "BEFORE_OPENED": days_ago(31)}.get(closed_on, closed_on)
    response = client_for(alice).post(
        reverse("outreach:conflict_close", args=[conflict.pk]), {"closed_on": closed_on}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    conflict.refresh_from_db()
    assert conflict.closed_on is None


def test_a_closed_mediation_takes_nothing_more(client_for, alice, org_a):
    conflict = ConflictFactory(organization=org_a, opened_on=days_ago(30), closed_on=days_ago(2))
    agreement = Agreement.objects.create(conflict=conflict, kind="peace", made_on=days_ago(20))
    client = client_for(alice)
    closed = "This mediation is closed. Reopen it to record more."
    for name, args, data, message in [
        ("mediation_session_add", [], {"held_on": days_ago(5).isoformat()}, closed),
        ("agreement_add", [], {"kind": "peace", "made_on": days_ago(5).isoformat()}, closed),
        ("conflict_party_add", [], {"group_label": "Group C"}, closed),
        (
            "agreement_state",
            [agreement.pk],
            {"state": "broken", "changed_on": days_ago(1)},
            closed,
        ),
        (
            "conflict_close",
            [],
            {"closed_on": TODAY().isoformat()},
            "This mediation is already closed.",
        ),
    ]:
        response = client.post(reverse(f"outreach:{name}", args=[conflict.pk, *args]), data)
        assert response.status_code == 400, name
        assert response.content.decode().count(message) == 1, name
    conflict.refresh_from_db()
    agreement.refresh_from_db()
    assert conflict.closed_on == days_ago(2)
    assert agreement.state == "holding"
    assert not MediationSession.objects.exists()
    assert not ConflictParty.objects.exists()
    assert Agreement.objects.count() == 1


def test_a_session_before_the_mediation_was_opened_is_refused(client_for, alice, org_a):
    conflict = ConflictFactory(organization=org_a, opened_on=days_ago(30))
    response = client_for(alice).post(
        reverse("outreach:mediation_session_add", args=[conflict.pk]),
        {"held_on": "1999-01-01", "note": "Met at the park"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "A session cannot come before the mediation was opened" in body
    assert 'id="id_held_on_error"' in body  # shown on the date field
    assert "Met at the park" in body  # what was typed stays
    assert not MediationSession.objects.exists()


def test_an_agreement_before_the_mediation_was_opened_is_refused(client_for, alice, org_a):
    conflict = ConflictFactory(organization=org_a, opened_on=days_ago(30))
    response = client_for(alice).post(
        reverse("outreach:agreement_add", args=[conflict.pk]),
        {"kind": "peace", "made_on": days_ago(31).isoformat()},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "An agreement cannot come before the mediation was opened" in body
    assert 'id="id_made_on_error"' in body
    assert not Agreement.objects.exists()


@pytest.mark.parametrize(
    ("opened_on", "expected"),
    [("", "today"), ("2999-01-01", "refused"), ("not a date", "refused")],
)
def test_a_mediation_opens_today_unless_an_earlier_day_is_given(
    client_for, alice, opened_on, expected
):
    response = client_for(alice).post(
        reverse("outreach:conflict_new"),
        {"label": "Conflict 13", "community_area": area(68).pk, "opened_on": opened_on},
    )
    if expected == "today":
        assert response.status_code == 302
        assert Conflict.objects.get().opened_on == TODAY()
    else:
        assert response.status_code == 400
        assert not Conflict.objects.exists()


def test_a_session_on_the_day_the_mediation_opened_is_recorded(client_for, alice, org_a):
    conflict = ConflictFactory(organization=org_a, opened_on=days_ago(30))
    response = client_for(alice).post(
        reverse("outreach:mediation_session_add", args=[conflict.pk]),
        {"held_on": days_ago(30).isoformat()},
    )
    assert response.status_code == 302
    assert MediationSession.objects.get().held_on == days_ago(30)


def _close(client, conflict, closed_on: datetime.date):
    return client.post(
        reverse("outreach:conflict_close", args=[conflict.pk]), {"closed_on": closed_on.isoformat()}
    )


def test_a_mediation_cannot_close_before_its_last_session(client_for, alice, org_a):
    conflict = ConflictFactory(organization=org_a, opened_on=days_ago(30))
    MediationSession.objects.create(conflict=conflict, held_on=days_ago(20), facilitator=alice)
    MediationSession.objects.create(conflict=conflict, held_on=days_ago(10), facilitator=alice)
    response = _close(client_for(alice), conflict, days_ago(15))
    assert response.status_code == 400
    last = date_format(days_ago(10), "SHORT_DATE_FORMAT")
    assert response.context["close_form"].errors["closed_on"] == [
        f"A mediation cannot close before its last session ({last})."
    ]
    conflict.refresh_from_db()
    assert conflict.closed_on is None


def test_a_mediation_cannot_close_before_its_last_agreement(client_for, alice, org_a):
    conflict = ConflictFactory(organization=org_a, opened_on=days_ago(30))
    MediationSession.objects.create(conflict=conflict, held_on=days_ago(20), facilitator=alice)
    Agreement.objects.create(conflict=conflict, kind="peace", made_on=days_ago(8))
    response = _close(client_for(alice), conflict, days_ago(9))
    assert response.status_code == 400
    last = date_format(days_ago(8), "SHORT_DATE_FORMAT")
    assert f"A mediation cannot close before its last agreement ({last})." in (
        response.content.decode()
    )
    conflict.refresh_from_db()
    assert conflict.closed_on is None


def test_a_mediation_cannot_close_before_the_last_change_to_an_agreement(client_for, alice, org_a):
    conflict = ConflictFactory(organization=org_a, opened_on=days_ago(30))
    client = client_for(alice)
    client.post(
        reverse("outreach:agreement_add", args=[conflict.pk]),
        {"kind": "peace", "made_on": days_ago(20).isoformat()},
    )
    client.post(
        reverse("outreach:agreement_state", args=[conflict.pk, Agreement.objects.get().pk]),
        {"state": "strained", "changed_on": days_ago(5).isoformat()},
    )
    response = _close(client, conflict, days_ago(6))
    assert response.status_code == 400
    last = date_format(days_ago(5), "SHORT_DATE_FORMAT")
    assert response.context["close_form"].errors["closed_on"] == [
        f"A mediation cannot close before the last change to one of its agreements ({last})."
    ]
    conflict.refresh_from_db()
    assert conflict.closed_on is None


def test_a_mediation_closes_on_the_day_of_its_last_session(client_for, alice, org_a):
    conflict = ConflictFactory(organization=org_a, opened_on=days_ago(30))
    MediationSession.objects.create(conflict=conflict, held_on=days_ago(10), facilitator=alice)
    Agreement.objects.create(conflict=conflict, kind="peace", made_on=days_ago(12))
    assert _close(client_for(alice), conflict, days_ago(10)).status_code == 302
    conflict.refresh_from_db()
    assert conflict.closed_on == days_ago(10)


def test_a_mediation_opened_in_1901_is_refused(client_for, alice):
    response = client_for(alice).post(
        reverse("outreach:conflict_new"),
        {"label": "Conflict 14", "community_area": area(68).pk, "opened_on": "1901-03-01"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["opened_on"] == [
        "This date is too far in the past: check the year."
    ]
    assert not Conflict.objects.exists()


@pytest.mark.parametrize(
    "name, data",
    [
        ("mediation_session_add", {"held_on": "1901-03-01"}),
        ("agreement_add", {"kind": "peace", "made_on": "1901-03-01"}),
    ],
)
def test_a_session_or_agreement_in_1901_is_refused_even_for_an_old_mediation(
    client_for, alice, org_a, name, data
):
    # Recorded before mediations had to open in this century.
    conflict = ConflictFactory(organization=org_a, opened_on=datetime.date(1900, 1, 1))
    response = client_for(alice).post(reverse(f"outreach:{name}", args=[conflict.pk]), data)
    assert response.status_code == 400
    assert "This date is too far in the past: check the year." in response.content.decode()
    assert not MediationSession.objects.exists()
    assert not Agreement.objects.exists()


def test_overdue_reviews_are_flagged_on_the_mediation_and_in_the_list(client_for, alice, org_a):
    conflict = ConflictFactory(organization=org_a, label="Conflict 4", opened_on=days_ago(90))
    for kind, state, review_on in [
        ("non_aggression", "holding", days_ago(16)),  # overdue
        ("peace", "strained", days_ago(1)),  # overdue
        ("peace", "resolved", days_ago(16)),  # nothing left to review
        ("peace", "broken", days_ago(16)),  # nothing left to review
        ("peace", "holding", TODAY()),  # due today, not yet passed
        ("peace", "holding", None),
    ]:
        Agreement.objects.create(
            conflict=conflict, kind=kind, made_on=days_ago(60), state=state, review_on=review_on
        )
    client = client_for(alice)

    page = client.get(reverse("outreach:conflict", args=[conflict.pk])).content.decode()
    assert sum("Review overdue" in card for card in agreement_cards(page)) == 2
    listing = client.get(reverse("outreach:conflicts")).content.decode()
    assert listing.count("Review overdue") == 2
    for agreement in Agreement.objects.all():
        card = next(c for c in agreement_cards(page) if c.startswith(str(agreement.pk)))
        expected = agreement.state in ("holding", "strained") and (
            agreement.review_on is not None and agreement.review_on < TODAY()
        )
        assert ("Review overdue" in card) == expected, (agreement.state, agreement.review_on)


def test_a_closed_mediation_has_no_review_due(client_for, alice, bob, org_a):
    conflict = ConflictFactory(
        organization=org_a, label="Conflict 5", opened_on=days_ago(90), closed_on=days_ago(3)
    )
    Agreement.objects.create(
        conflict=conflict, kind="peace", made_on=days_ago(60), review_on=days_ago(10)
    )
    page = client_for(alice).get(reverse("outreach:conflict", args=[conflict.pk]))
    assert "Review overdue" not in page.content.decode()
    assert client_for(bob).get(reverse("outreach:supervisor")).context["reviews_due"] == []


def test_supervisor_sees_the_reviews_due_of_the_organization(client_for, bob, org_a, org_b):
    mine = ConflictFactory(organization=org_a, label="Conflict 6", opened_on=days_ago(90))
    overdue = Agreement.objects.create(
        conflict=mine, kind="non_aggression", made_on=days_ago(60), review_on=days_ago(16)
    )
    Agreement.objects.create(
        conflict=mine, kind="peace", made_on=days_ago(60), review_on=days_ago(-7)
    )
    theirs = ConflictFactory(organization=org_b, label="Their conflict", opened_on=days_ago(90))
    Agreement.objects.create(
        conflict=theirs, kind="peace", made_on=days_ago(60), review_on=days_ago(16)
    )

    response = client_for(bob).get(reverse("outreach:supervisor"))

    assert response.context["reviews_due"] == [overdue]
    body = response.content.decode()
    assert "1 agreement review due" in body
    assert "Conflict 6" in body and "Their conflict" not in body


def test_supervisor_counts_each_open_mediation_once_by_its_latest_agreement(
    client_for, bob, org_a, org_b, django_assert_num_queries
):
    def mediation(organization, *agreements, closed_on=None):
        conflict = ConflictFactory(
            organization=organization, opened_on=days_ago(90), closed_on=closed_on
        )
        for state, made_ago in agreements:
            Agreement.objects.create(
                conflict=conflict, kind="peace", made_on=days_ago(made_ago), state=state
            )

    mediation(org_a, ("broken", 60), ("holding", 10))  # two agreements: counted once
    mediation(org_a, ("strained", 30))
    mediation(org_a)
    mediation(org_a, ("holding", 30), closed_on=days_ago(1))  # closed: not counted
    mediation(org_b, ("holding", 30))  # another organization's
    client = client_for(bob)

    response = client.get(reverse("outreach:supervisor"))

    assert response.context["mediations_by_state"] == [
        ("Holding", 1),
        ("Strained", 1),
        ("No agreement yet", 1),
    ]
    body = response.content.decode()
    assert "Holding: 1" in body and "No agreement yet: 1" in body
    # More mediations do not cost more queries.
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("outreach:supervisor"))
    for _ in range(5):
        mediation(org_a, ("resolved", 40), ("strained", 20))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("outreach:supervisor"))
    assert len(many) == len(few)
    assert ("Strained", 6) in response.context["mediations_by_state"]


def test_a_refused_agreement_change_shows_under_its_own_agreement(client_for, alice, org_a):
    conflict = ConflictFactory(organization=org_a, opened_on=days_ago(90))
    Agreement.objects.create(conflict=conflict, kind="peace", made_on=days_ago(10))
    second = Agreement.objects.create(
        conflict=conflict, kind="non_aggression", made_on=days_ago(40)
    )
    client = client_for(alice)
    page = client.get(reverse("outreach:conflict", args=[conflict.pk])).content.decode()
    assert agreement_cards(page)[1].startswith(str(second.pk))  # second on the page

    response = client.post(
        reverse("outreach:agreement_state", args=[conflict.pk, second.pk]),
        {"state": "broken", "changed_on": days_ago(50).isoformat(), "note": "Words at the store"},
    )

    assert response.status_code == 400
    body = response.content.decode()
    error = "A change cannot come before the agreement was made."
    first_card, second_card = agreement_cards(body)
    assert body.count(error) == 1 and error in second_card
    assert body.count("Words at the store") == 1 and "Words at the store" in second_card
    assert "Nothing was saved" not in first_card
    ids = re.findall(r'\bid="([^"]+)"', body)
    assert len(ids) == len(set(ids)), "every field has its own id"
    labels = re.findall(r'<label for="([^"]+)"', second_card)
    assert labels and all(f'id="{label}"' in second_card for label in labels)
    second.refresh_from_db()
    assert second.state == "holding"


def _history(card: str) -> list[str]:
    """The states of an agreement's history as its card lists them, the latest first."""
    return re.findall(r"<li>([A-Z][a-z]+) <span", card.split("<ol>")[1].split("</ol>")[0])


def test_a_review_before_the_agreement_was_made_is_refused_with_the_note_kept(
    client_for, alice, org_a
):
    conflict = ConflictFactory(organization=org_a, opened_on=days_ago(30))
    agreement = Agreement.objects.create(
        conflict=conflict, kind="peace", made_on=days_ago(10), review_on=days_ago(-5)
    )
    client = client_for(alice)
    client.post(
        reverse("outreach:agreement_state", args=[conflict.pk, agreement.pk]),
        {"state": "strained", "changed_on": days_ago(3).isoformat()},
    )

    response = client.post(
        reverse("outreach:agreement_state", args=[conflict.pk, agreement.pk]),
        {
            "state": "broken",
            "changed_on": TODAY().isoformat(),
            "review_on": days_ago(20).isoformat(),
            "note": "Shots fired near the store",
        },
    )

    assert response.status_code == 400
    body = response.content.decode()
    made = date_format(days_ago(10), "SHORT_DATE_FORMAT")
    error = f"The review cannot come before the agreement was made ({made})."
    [card] = agreement_cards(body)
    assert f'id="id_agreement_{agreement.pk}_review_on_error"' in card and error in card
    assert "Shots fired near the store" in card  # what was typed stays
    assert f'value="{days_ago(20).isoformat()}"' in card
    agreement.refresh_from_db()
    assert (agreement.state, agreement.review_on) == ("strained", days_ago(-5))
    assert list(agreement.history.values_list("state", flat=True)) == ["strained"]


def test_an_agreement_with_its_review_before_it_was_made_is_refused_on_the_field(
    client_for, alice, org_a
):
    conflict = ConflictFactory(organization=org_a, opened_on=days_ago(30))
    response = client_for(alice).post(
        reverse("outreach:agreement_add", args=[conflict.pk]),
        {
            "kind": "non_aggression",
            "made_on": days_ago(5).isoformat(),
            "review_on": days_ago(25).isoformat(),
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_review_on_error"' in body
    assert "The review cannot come before the agreement" in body
    assert '<option value="non_aggression" selected>' in body
    assert not Agreement.objects.exists()


def test_the_update_form_starts_on_the_agreements_state(client_for, alice, org_a):
    conflict = ConflictFactory(organization=org_a, opened_on=days_ago(30))
    strained = Agreement.objects.create(
        conflict=conflict, kind="peace", made_on=days_ago(20), state="strained"
    )
    page = client_for(alice).get(reverse("outreach:conflict", args=[conflict.pk]))
    [card] = agreement_cards(page.content.decode())
    select = card.split(f'id="id_agreement_{strained.pk}_state"')[1].split("</select>")[0]
    assert re.findall(r'<option value="(\w+)" selected>', select) == ["strained"]


def test_same_day_changes_read_in_the_order_they_were_recorded(client_for, alice, org_a):
    conflict = ConflictFactory(organization=org_a, opened_on=days_ago(30))
    client = client_for(alice)
    client.post(
        reverse("outreach:agreement_add", args=[conflict.pk]),
        {"kind": "peace", "made_on": TODAY().isoformat()},
    )
    agreement = Agreement.objects.get()
    for state in ("strained", "holding", "strained"):
        client.post(
            reverse("outreach:agreement_state", args=[conflict.pk, agreement.pk]),
            {"state": state, "changed_on": TODAY().isoformat()},
        )

    page = client.get(reverse("outreach:conflict", args=[conflict.pk])).content.decode()

    [card] = agreement_cards(page)
    assert 'class="badge state-strained">Strained<' in card
    assert _history(card) == ["Strained", "Holding", "Strained", "Holding"]  # latest first


def test_a_backdated_change_goes_into_the_history_and_leaves_the_state(client_for, alice, org_a):
    """A change dated before the latest one (a worker catching up on last week) takes
    its place in the history; the agreement keeps the state of its latest change. One
    dated on the latest day, recorded later, is the latest."""
    conflict = ConflictFactory(organization=org_a, opened_on=days_ago(30))
    agreement = Agreement.objects.create(conflict=conflict, kind="peace", made_on=days_ago(20))
    client = client_for(alice)
    url = reverse("outreach:agreement_state", args=[conflict.pk, agreement.pk])
    client.post(url, {"state": "strained", "changed_on": days_ago(5).isoformat()})

    response = client.post(
        url,
        {"state": "broken", "changed_on": days_ago(10).isoformat(), "note": "Last week"},
        follow=True,
    )

    agreement.refresh_from_db()
    assert agreement.state == "strained"
    body = response.content.decode()
    latest = date_format(days_ago(5), "SHORT_DATE_FORMAT")
    assert (
        f"Change recorded in the history. The agreement stays “Strained”, as changed on {latest}."
    ) in body
    [card] = agreement_cards(body)
    assert _history(card) == ["Strained", "Broken"]

    client.post(url, {"state": "holding", "changed_on": days_ago(5).isoformat()})
    agreement.refresh_from_db()
    assert agreement.state == "holding"


@pytest.mark.parametrize(
    "first, second, field",
    [
        ({"person": "PERSON"}, {"person": "PERSON"}, "person"),
        ({"group_label": "Group A"}, {"group_label": " group a "}, "group_label"),
    ],
)
def test_a_party_is_added_once(client_for, alice, org_a, person_a, first, second, field):
    conflict = ConflictFactory(organization=org_a)
    client = client_for(alice)
    url = reverse("outreach:conflict_party_add", args=[conflict.pk])
    fill = lambda data: {k: (person_a.pk if v == "PERSON" else v) for k, v in data.items()}  # noqa: E731
    assert client.post(url, fill(first)).status_code == 302

    response = client.post(url, fill(second))

    assert response.status_code == 400
    assert response.context["party_form"].errors[field] == [
        "This participant is already a party to this mediation."
        if field == "person"
        else "“Group A” is already a party to this mediation."
    ]
    assert conflict.parties.count() == 1


def test_a_party_added_by_mistake_is_removed(client_for, alice, org_a, person_a):
    conflict = ConflictFactory(organization=org_a)
    mistake = ConflictParty.objects.create(conflict=conflict, person=person_a)
    kept = ConflictParty.objects.create(conflict=conflict, group_label="Group A")
    client = client_for(alice)
    remove = reverse("outreach:conflict_party_remove", args=[conflict.pk, mistake.pk])
    assert remove in client.get(reverse("outreach:conflict", args=[conflict.pk])).content.decode()

    response = client.post(remove, follow=True)

    assert "Party removed." in response.content.decode()
    assert list(conflict.parties.all()) == [kept]
    assert AuditEvent.objects.filter(
        record_id=str(conflict.pk), action="update", detail__party_removed=str(person_a.pk)
    ).exists()


def test_no_party_is_removed_from_a_closed_mediation(client_for, alice, org_a):
    conflict = ConflictFactory(organization=org_a, opened_on=days_ago(30), closed_on=days_ago(1))
    party = ConflictParty.objects.create(conflict=conflict, group_label="Group A")
    client = client_for(alice)
    remove = reverse("outreach:conflict_party_remove", args=[conflict.pk, party.pk])
    assert (
        remove not in client.get(reverse("outreach:conflict", args=[conflict.pk])).content.decode()
    )

    response = client.post(remove, follow=True)

    assert "This mediation is closed. Reopen it to record more." in response.content.decode()
    assert ConflictParty.objects.filter(pk=party.pk).exists()


def test_a_party_of_another_mediation_is_not_found(client_for, alice, org_a):
    conflict = ConflictFactory(organization=org_a)
    other = ConflictParty.objects.create(
        conflict=ConflictFactory(organization=org_a), group_label="Group A"
    )
    response = client_for(alice).post(
        reverse("outreach:conflict_party_remove", args=[conflict.pk, other.pk])
    )
    assert response.status_code == 404
    assert ConflictParty.objects.filter(pk=other.pk).exists()


def test_agreement_fields_say_what_they_are(client_for, alice, org_a):
    conflict = ConflictFactory(organization=org_a, opened_on=days_ago(30))
    agreement = Agreement.objects.create(conflict=conflict, kind="peace", made_on=days_ago(20))
    page = client_for(alice).get(reverse("outreach:conflict", args=[conflict.pk])).content.decode()
    assert "---------" not in page
    kind = page.split('id="id_kind"')[1].split("</select>")[0]
    assert re.match(r'[^>]*>\s*<option value="" selected>Choose…</option>', kind)
    assert '<label for="id_made_on">Made on</label>' in page
    assert f'<label for="id_agreement_{agreement.pk}_changed_on">Changed on</label>' in page


def test_the_intake_asks_who_referred_the_person(client_for, carmen, person_a):
    client = client_for(carmen)
    client.post(
        reverse("cases:open", args=[person_a.pk]), {"case_manager": carmen.memberships.get().pk}
    )
    page = client.get(reverse("cases:intake", args=[Case.objects.get().pk])).content.decode()
    assert "---------" not in page
    referred_by = page.split('id="id_referred_by"')[1].split("</select>")[0]
    assert re.match(r'[^>]*>\s*<option value="" selected>Choose…</option>', referred_by)


# What this change adds to the Spanish catalogue, for as long as it is not compiled.
def test_a_mediation_is_abierta_and_cerrada_in_spanish(client_for, alice, org_a, settings):
    """La mediación: "abierta", "cerrada" (not the masculine forms of cases)."""
    open_one = ConflictFactory(organization=org_a, label="Conflict 3", opened_on=days_ago(30))
    closed = ConflictFactory(
        organization=org_a, label="Conflict 4", opened_on=days_ago(30), closed_on=days_ago(2)
    )
    client = client_for(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    listed = client.get(reverse("outreach:conflicts") + "?closed=1").content.decode()
    detail = client.get(reverse("outreach:conflict", args=[closed.pk])).content.decode()
    closing = client.get(reverse("outreach:conflict", args=[open_one.pk])).content.decode()

    for html in (listed, detail):
        assert "abierta " in html and "cerrada el" in html and ">Cerrada<" in html
        assert "abierto " not in html and "cerrado el" not in html and ">Cerrado<" not in html
    assert '<label for="id_close_closed_on">Cerrada el</label>' in closing


def test_outreach_introduces_and_the_case_manager_accepts(client_for, alice, carmen, person_a):
    client_for(alice).post(
        reverse("outreach:introduction_new", args=[person_a.pk]),
        {"case_manager": carmen.memberships.get().pk, "summary": "Ready to work on a GED"},
    )
    introduction = Introduction.objects.get()
    assert introduction.status == "pending"
    assert carmen.notifications.count() == 1
    assert "Jamal" not in carmen.notifications.get().message

    cm = client_for(carmen)
    waiting = cm.get(reverse("outreach:introductions"))
    assert "Ready to work on a GED" in waiting.content.decode()
    cm.post(reverse("outreach:introduction_accept", args=[introduction.pk]))

    person_a.refresh_from_db()
    introduction.refresh_from_db()
    assert introduction.status == "accepted"
    assert person_a.status == Status.CASE_MANAGEMENT
    assert person_a.case_manager == carmen
    assert person_a.status_changes.filter(to_status="case_management").exists()


def test_the_case_manager_returns_with_a_reason(client_for, carmen, person_a):
    introduction = IntroductionFactory(person=person_a, case_manager=carmen)
    cm = client_for(carmen)
    refused = cm.post(
        reverse("outreach:introduction_return", args=[introduction.pk]), {"reason": "  "}
    )
    assert refused.status_code == 400
    assert "Say why the introduction is returned." in refused.content.decode()
    introduction.refresh_from_db()
    assert introduction.status == "pending"

    cm.post(
        reverse("outreach:introduction_return", args=[introduction.pk]),
        {"reason": "Already works with our partner's case manager"},
    )
    introduction.refresh_from_db()
    person_a.refresh_from_db()
    assert introduction.status == "returned"
    assert person_a.status == Status.IDENTIFIED


def test_the_worker_hears_that_the_introduction_was_returned(client_for, alice, carmen, person_a):
    """The page says it was "returned to the outreach worker": she is told, by the
    alerts (and e-mail), without the participant's name."""
    introduction = IntroductionFactory(person=person_a, case_manager=carmen, introduced_by=alice)
    client_for(carmen).post(
        reverse("outreach:introduction_return", args=[introduction.pk]),
        {"reason": "Already works with Jamal's cousin's case manager"},
    )
    [notice] = alice.notifications.all()
    assert notice.message == "An introduction you made was returned — open PeaceHub"
    assert notice.url == reverse("outreach:introductions")
    assert not carmen.notifications.exists()
    page = client_for(alice).get(notice.url).content.decode()
    assert "Already works with Jamal" in page


def test_only_the_addressed_case_manager_answers(client_for, org_a, carmen, person_a, charlie):
    introduction = IntroductionFactory(person=person_a, case_manager=carmen)
    other_cm = member(org_a, Role.CASE_MANAGER)
    accept = reverse("outreach:introduction_accept", args=[introduction.pk])
    assert client_for(other_cm).post(accept).status_code == 403
    assert client_for(charlie).post(accept).status_code == 404
    introduction.refresh_from_db()
    assert introduction.status == "pending"


def test_an_introduction_goes_to_a_case_manager_of_the_same_organization(
    client_for, alice, person_a, org_b
):
    stranger = member(org_b, Role.CASE_MANAGER)
    response = client_for(alice).post(
        reverse("outreach:introduction_new", args=[person_a.pk]),
        {"case_manager": stranger.memberships.get().pk, "summary": "x"},
    )
    assert response.status_code == 400
    assert not Introduction.objects.exists()


def test_one_pending_introduction_at_a_time(client_for, alice, carmen, person_a):
    IntroductionFactory(person=person_a, case_manager=carmen)
    response = client_for(alice).post(
        reverse("outreach:introduction_new", args=[person_a.pk]),
        {"case_manager": carmen.memberships.get().pk, "summary": "again"},
    )
    assert response.status_code == 400
    assert Introduction.objects.count() == 1


def test_supervisor_sees_own_numbers_only(
    client_for, bob, alice, charlie, org_a, person_a, person_b, carmen
):
    from peacehub.outreach.tests.factories import ContactFactory

    ContactFactory(person=person_a, worker=alice)
    ContactFactory(person=person_a, worker=alice)
    ContactFactory(person=person_b, worker=charlie)
    IntroductionFactory(person=person_a, case_manager=carmen, introduced_by=alice)
    response = client_for(bob).get(reverse("outreach:supervisor"))
    rows = dict(response.context["contact_rows"])
    assert sum(rows["Alice Outreach"]) == 2
    assert "Charlie Other" not in rows
    assert [i.case_manager for i in response.context["pending_introductions"]] == [carmen]
    assert "Jamal" not in response.content.decode()


def test_supervisor_counts_contacts_in_the_local_week_they_happened(
    client_for, bob, alice, person_a
):
    """Weeks start on Monday at midnight in the coalition's time zone: a contact late on
    Sunday night counts in the week before, one just after midnight in the new week."""
    from peacehub.outreach.tests.factories import ContactFactory

    this_monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    midnight = timezone.make_aware(datetime.datetime.combine(this_monday, datetime.time()))
    for moment in (
        midnight - datetime.timedelta(minutes=30),  # Sunday 23:30: last week
        midnight - datetime.timedelta(days=6, hours=23),  # Monday 01:00: last week too
        midnight + datetime.timedelta(minutes=30),  # Monday 00:30: this week
        midnight - datetime.timedelta(weeks=7, minutes=1),  # before the eighth week: not shown
    ):
        if moment <= timezone.now():
            ContactFactory(person=person_a, worker=alice, occurred_at=moment)
    response = client_for(bob).get(reverse("outreach:supervisor"))
    assert response.context["weeks"][-2:] == [
        this_monday - datetime.timedelta(weeks=1),
        this_monday,
    ]
    weekly = dict(response.context["contact_rows"])["Alice Outreach"]
    this_week = 1 if midnight + datetime.timedelta(minutes=30) <= timezone.now() else 0
    assert weekly[-2:] == [2, this_week]
    assert sum(weekly) == 2 + this_week


def test_accepting_an_introduction_opens_the_case_and_leads_to_its_intake(
    client_for, alice, carmen, person_a
):
    client_for(alice).post(
        reverse("outreach:introduction_new", args=[person_a.pk]),
        {"case_manager": carmen.memberships.get().pk, "summary": "Ready to work on a GED"},
    )
    introduction = Introduction.objects.get()
    cm = client_for(carmen)
    response = cm.post(reverse("outreach:introduction_accept", args=[introduction.pk]))

    case = Case.objects.get(person=person_a)
    assert (case.case_manager, case.created_by) == (carmen, carmen)
    assert case.organization_id == person_a.organization_id
    assert response["Location"] == reverse("cases:intake", args=[case.pk])
    assert AuditEvent.objects.filter(record_id=str(case.pk), action="create").exists()
    # One move into case management, the introduction's.
    change = person_a.status_changes.get(to_status=Status.CASE_MANAGEMENT)
    assert change.note == "Introduction accepted"

    intake = cm.get(response["Location"])
    form = intake.context["form"]
    assert "Jamal Washington is now in case management with you." in intake.content.decode()
    assert form["referred_by"].value() == "outreach"
    assert form["intake_on"].value() == TODAY()
    assert "Ready to work on a GED" in intake.content.decode()
    caseload = cm.get(reverse("cases:caseload"))
    assert [c.person for c in caseload.context["cases"]] == [person_a]


def test_an_intake_of_a_case_opened_directly_names_no_outreach_source(client_for, carmen, person_a):
    cm = client_for(carmen)
    cm.post(
        reverse("cases:open", args=[person_a.pk]), {"case_manager": carmen.memberships.get().pk}
    )
    case = Case.objects.get()
    form = cm.get(reverse("cases:intake", args=[case.pk])).context["form"]
    assert form["intake_on"].value() == TODAY()
    assert not form["referred_by"].value()


def test_accepting_opens_no_second_case(client_for, carmen, person_a):
    case = CaseFactory(person=person_a, case_manager=carmen)
    Intake.objects.create(case=case, intake_on=TODAY(), referred_by="hospital", reasons="ID")
    introduction = IntroductionFactory(person=person_a, case_manager=carmen)
    response = client_for(carmen).post(
        reverse("outreach:introduction_accept", args=[introduction.pk])
    )
    introduction.refresh_from_db()
    assert introduction.status == "accepted"
    assert list(Case.objects.all()) == [case]
    assert response["Location"] == reverse("cases:detail", args=[case.pk])


def test_a_supervisor_accepts_for_the_case_manager(client_for, bob, carmen, person_a):
    introduction = IntroductionFactory(person=person_a, case_manager=carmen)
    response = client_for(bob).post(
        reverse("outreach:introduction_accept", args=[introduction.pk]), follow=True
    )
    case = Case.objects.get()
    assert case.case_manager == carmen
    assert "Jamal Washington is now in case management with Carmen Casemanager." in (
        response.content.decode()
    )


def test_no_introduction_for_a_participant_with_an_open_case(client_for, alice, carmen, person_a):
    CaseFactory(person=person_a, case_manager=carmen)
    response = client_for(alice).post(
        reverse("outreach:introduction_new", args=[person_a.pk]),
        {"case_manager": carmen.memberships.get().pk, "summary": "Ready for a GED"},
    )
    assert response.status_code == 400
    assert "already has an open case with Carmen Casemanager" in response.content.decode()
    assert not Introduction.objects.exists()


def test_accepting_is_refused_once_another_case_manager_opened_a_case(
    client_for, org_a, carmen, person_a
):
    """The introduction waited while a colleague opened a case: accepting it would give
    the person one case manager and the case another."""
    introduction = IntroductionFactory(person=person_a, case_manager=carmen)
    colleague = member(org_a, Role.CASE_MANAGER, full_name="Chris Colleague")
    case = CaseFactory(person=person_a, case_manager=colleague)
    person_a.case_manager = colleague
    person_a.save(update_fields=["case_manager"])

    response = client_for(carmen).post(
        reverse("outreach:introduction_accept", args=[introduction.pk]), follow=True
    )

    assert "already has an open case with Chris Colleague" in response.content.decode()
    introduction.refresh_from_db()
    person_a.refresh_from_db()
    case.refresh_from_db()
    assert introduction.status == "pending"
    assert (person_a.case_manager, case.case_manager) == (colleague, colleague)


def test_accepting_makes_the_case_manager_the_persons_in_the_audit_trail(
    client_for, carmen, person_a
):
    introduction = IntroductionFactory(person=person_a, case_manager=carmen)
    client_for(carmen).post(reverse("outreach:introduction_accept", args=[introduction.pk]))
    person_a.refresh_from_db()
    assert person_a.case_manager == carmen
    assert AuditEvent.objects.filter(
        record_id=str(person_a.pk), action="update", detail__fields=["case_manager"]
    ).exists()


def test_a_new_review_date_alone_is_no_step_of_the_history(client_for, alice, org_a):
    """The mediator pushes the review back a month, the agreement still holding: the
    history does not grow a second "Holding" that nothing happened on."""
    conflict = ConflictFactory(organization=org_a, opened_on=days_ago(30))
    client = client_for(alice)
    client.post(
        reverse("outreach:agreement_add", args=[conflict.pk]),
        {"kind": "peace", "made_on": days_ago(10).isoformat(), "review_on": TODAY().isoformat()},
    )
    agreement = Agreement.objects.get()
    next_review = TODAY() + datetime.timedelta(days=30)

    response = client.post(
        reverse("outreach:agreement_state", args=[conflict.pk, agreement.pk]),
        {
            "state": "holding",
            "changed_on": TODAY().isoformat(),
            "review_on": next_review.isoformat(),
        },
        follow=True,
    )

    agreement.refresh_from_db()
    assert (agreement.state, agreement.review_on) == ("holding", next_review)
    assert list(agreement.history.values_list("state", flat=True)) == ["holding"]
    body = response.content.decode()
    assert f"Next review set to {date_format(next_review, 'SHORT_DATE_FORMAT')}." in body
    [card] = agreement_cards(body)
    assert _history(card) == ["Holding"]
    assert AuditEvent.objects.filter(
        action="update", detail__fields=["review_on"], record_id=str(conflict.pk)
    ).exists()


def test_the_same_state_with_a_note_is_a_step_and_without_anything_is_refused(
    client_for, alice, org_a
):
    conflict = ConflictFactory(organization=org_a, opened_on=days_ago(30))
    agreement = Agreement.objects.create(conflict=conflict, kind="peace", made_on=days_ago(10))
    url = reverse("outreach:agreement_state", args=[conflict.pk, agreement.pk])
    client = client_for(alice)

    nothing = client.post(url, {"state": "holding", "changed_on": TODAY().isoformat()})
    assert nothing.status_code == 400
    assert "Nothing to record: choose another state, write a note" in nothing.content.decode()
    assert not agreement.history.exists()

    client.post(
        url, {"state": "holding", "changed_on": TODAY().isoformat(), "note": "Met both sides"}
    )
    assert list(agreement.history.values_list("note", flat=True)) == ["Met both sides"]


@pytest.mark.parametrize("name", ["agreement_add", "agreement_state"])
def test_a_review_more_than_five_years_ahead_is_refused(client_for, alice, org_a, name):
    """2031 typed for 2026, or 9999: refused on the field, nothing saved."""
    conflict = ConflictFactory(organization=org_a, opened_on=days_ago(30))
    agreement = Agreement.objects.create(conflict=conflict, kind="peace", made_on=days_ago(10))
    too_far = (TODAY() + datetime.timedelta(days=5 * 366 + 1)).isoformat()
    if name == "agreement_add":
        url = reverse("outreach:agreement_add", args=[conflict.pk])
        data = {"kind": "non_aggression", "made_on": TODAY().isoformat(), "review_on": too_far}
    else:
        url = reverse("outreach:agreement_state", args=[conflict.pk, agreement.pk])
        data = {"state": "strained", "changed_on": TODAY().isoformat(), "review_on": too_far}

    response = client_for(alice).post(url, data)

    assert response.status_code == 400
    assert "A review date cannot be more than 5 years ahead." in response.content.decode()
    assert list(Agreement.objects.values_list("pk", "state", "review_on")) == [
        (agreement.pk, "holding", None)
    ]
    assert not agreement.history.exists()


def test_the_service_refuses_a_review_too_far_whoever_calls_it(alice, org_a):
    from django.core.exceptions import ValidationError
    from django.test import RequestFactory

    from peacehub.outreach.services import agreement_make

    conflict = ConflictFactory(organization=org_a, opened_on=days_ago(30))
    request = RequestFactory().post("/")
    request.user = alice
    with pytest.raises(ValidationError) as refused:
        agreement_make(
            request=request,
            conflict=conflict,
            kind="peace",
            made_on=TODAY(),
            review_on=datetime.date(9999, 12, 31),
        )
    assert refused.value.message_dict["review_on"] == [
        "A review date cannot be more than 5 years ahead."
    ]
    assert not Agreement.objects.exists()


def test_the_case_manager_starts_on_choose_and_is_required(client_for, alice, carmen, person_a):
    """Two case managers, and the first in the list is not a default: the worker picks."""
    member(person_a.organization, Role.CASE_MANAGER, "abe@example.org", full_name="Abe Aaron")
    client = client_for(alice)
    url = reverse("outreach:introduction_new", args=[person_a.pk])
    page = client.get(url).content.decode()
    select = re.search(r'<select name="case_manager"[^>]*>.*?</select>', page, re.S).group()
    assert re.findall(r'<option value="([^"]*)"[^>]*selected', select) == [""]
    assert '<option value="" selected>Choose…</option>' in select

    response = client.post(url, {"summary": "Wants help with an ID"})

    assert response.status_code == 400
    assert response.context["form"].errors["case_manager"] == ["This field is required."]
    assert 'id="id_case_manager_error"' in response.content.decode()
    assert "Wants help with an ID" in response.content.decode()
    assert not Introduction.objects.exists()
