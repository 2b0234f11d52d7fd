import html
import re

import pytest
from django.urls import reverse

from peacehub.audit.models import AuditEvent
from peacehub.geo.models import CommunityArea
from peacehub.people.models import Person, Status
from peacehub.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_outreach_worker_adds_a_participant(client_for, alice, org_a):
    client = client_for(alice)
    response = client.post(
        reverse("people:create"),
        {
            "legal_first_name": "Marcus",
            "legal_last_name": "Thompson",
            "preferred_name": "Mark",
            "date_of_birth": "2002-03-04",
            "gender": "man",
            "preferred_language": "en",
            "phone": "(773) 555-0101",
            "community_area": "",
        },
    )
    person = Person.objects.get(legal_last_name="Thompson")
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    assert person.organization == org_a
    assert person.status == Status.IDENTIFIED
    assert AuditEvent.objects.filter(record_id=str(person.pk), action="create").exists()


def test_detail_shows_person_and_records_the_read(client_for, alice, person_a):
    response = client_for(alice).get(reverse("people:detail", args=[person_a.pk]))
    assert response.status_code == 200
    assert b"Jamal Washington" in response.content
    assert AuditEvent.objects.filter(record_id=str(person_a.pk), action="view").count() == 1


def test_other_organization_gets_404(client_for, charlie, person_a):
    response = client_for(charlie).get(reverse("people:detail", args=[person_a.pk]))
    assert response.status_code == 404


def test_list_and_misspelled_search(client_for, alice, person_a, person_b):
    client = client_for(alice)
    response = client.get(reverse("people:list"), {"q": "Jamaal Washingten"})
    assert response.status_code == 200
    assert b"Jamal Washington" in response.content
    assert b"Hernandez" not in response.content


def test_list_by_community_area_keeps_the_area_chosen(client_for, alice, org_a):
    englewood = CommunityArea.objects.get(number=68)
    PersonFactory(organization=org_a, legal_last_name="Inarea", community_area=englewood)
    PersonFactory(
        organization=org_a,
        legal_last_name="Elsewhere",
        community_area=CommunityArea.objects.get(number=25),
    )
    response = client_for(alice).get(reverse("people:list"), {"area": "68"})
    page = response.content.decode()
    assert "Inarea" in page and "Elsewhere" not in page
    assert '<option value="68" selected>Englewood</option>' in page
    assert page.count(" selected>") == 1


VALID = {
    "legal_first_name": "Andre",
    "legal_last_name": "Price",
    "gender": "man",
    "preferred_language": "en",
}


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"date_of_birth": "2999-01-01"}, "date_of_birth", "cannot be in the future"),
        ({"community_area": "99999"}, "community_area", "Choose a community area from the list"),
        ({"legal_first_name": "   "}, "legal_first_name", "This field is required"),
        ({"legal_last_name": ""}, "legal_last_name", "This field is required"),
        ({"legal_last_name": "x" * 101}, "legal_last_name", "at most 100 characters"),
        ({"nicknames": "y" * 201}, "nicknames", "at most 200 characters"),
        ({"phone": "call me maybe"}, "phone", "7 to 15 digits"),
        ({"estimated_birth_year": "1850"}, "estimated_birth_year", "between 1900"),
        (
            {"date_of_birth": "2000-01-01", "estimated_birth_year": "2000"},
            "estimated_birth_year",
            "not both",
        ),
        ({"preferred_language": "fr"}, "preferred_language", "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(client_for, alice, change, field, message):
    response = client_for(alice).post(reverse("people:create"), {**VALID, **change})

    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors), errors
    assert message.encode() in response.content
    assert b"Nothing was saved" in response.content
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action="create").exists()


def test_bad_input_message_in_spanish(client_for, alice, settings):
    client = client_for(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    response = client.post(reverse("people:create"), {**VALID, "date_of_birth": "2999-01-01"})

    assert "La fecha de nacimiento no puede estar en el futuro." in response.content.decode()
    assert not Person.objects.exists()


def test_edit_saves_changed_fields_and_audits_their_names(client_for, alice, person_a):
    response = client_for(alice).post(
        reverse("people:edit", args=[person_a.pk]),
        {
            "legal_first_name": "Jamal",
            "legal_last_name": "Washington",
            "preferred_name": "Mal",
            "date_of_birth": "2001-05-17",
            "gender": "not_stated",
            "preferred_language": "es",
            "community_area": person_a.community_area_id,
        },
    )
    person_a.refresh_from_db()
    event = AuditEvent.objects.get(action="update", record_id=str(person_a.pk))
    assert response.status_code == 302
    assert person_a.preferred_name == "Mal"
    assert person_a.preferred_language == "es"
    assert sorted(event.detail["fields"]) == ["preferred_language", "preferred_name"]
    assert "Mal" not in str(event.detail)  # the audit log names fields, never values


def test_bad_edit_changes_nothing(client_for, alice, person_a):
    response = client_for(alice).post(
        reverse("people:edit", args=[person_a.pk]),
        {"legal_first_name": "", "legal_last_name": "Washington", "gender": "man"},
    )
    person_a.refresh_from_db()
    assert response.status_code == 400
    assert person_a.legal_first_name == "Jamal"
    assert not AuditEvent.objects.filter(action="update").exists()


def test_status_moves_forward_with_dated_history(client_for, alice, carmen, person_a):
    client = client_for(alice)
    client.post(reverse("people:status", args=[person_a.pk]), {"to_status": "engaged"})
    # In case management comes with a case manager, who opens the case.
    cm = client_for(carmen)
    cm.post(
        reverse("cases:open", args=[person_a.pk]), {"case_manager": carmen.memberships.get().pk}
    )
    cm.post(reverse("cases:close", args=[person_a.cases.get().pk]), {"reason": "Goals met"})
    client = client_for(alice)
    client.post(
        reverse("people:status", args=[person_a.pk]),
        {"to_status": "closed", "reason": "goals_met", "note": "Working full time"},
    )
    person_a.refresh_from_db()
    history = list(
        person_a.status_changes.order_by("changed_at").values_list("to_status", flat=True)
    )
    assert person_a.status == Status.CLOSED
    # Closing the case took the person back to outreach ("engaged").
    assert history == ["identified", "engaged", "case_management", "engaged", "closed"]
    assert person_a.status_changes.get(to_status="closed").reason == "goals_met"


def test_closing_needs_a_reason(client_for, alice, person_a):
    response = client_for(alice).post(
        reverse("people:status", args=[person_a.pk]), {"to_status": "closed"}, follow=True
    )
    person_a.refresh_from_db()
    assert person_a.status == Status.IDENTIFIED
    assert b"Give the reason for closing" in response.content


def test_a_status_out_of_order_is_refused(client_for, alice, person_a):
    client = client_for(alice)
    client.post(reverse("people:status", args=[person_a.pk]), {"to_status": "engaged"})
    response = client.post(
        reverse("people:status", args=[person_a.pk]), {"to_status": "identified"}, follow=True
    )
    person_a.refresh_from_db()
    assert person_a.status == Status.ENGAGED
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content


@pytest.mark.parametrize("to_status", ["engaged", "closed"])
def test_a_participant_leaves_case_management_only_once_the_case_is_closed(
    client_for, alice, carmen, person_a, to_status
):
    cm = client_for(carmen)
    cm.post(
        reverse("cases:open", args=[person_a.pk]), {"case_manager": carmen.memberships.get().pk}
    )
    client = client_for(alice)
    status = reverse("people:status", args=[person_a.pk])
    response = client.post(status, {"to_status": to_status, "reason": "moved"}, follow=True)

    person_a.refresh_from_db()
    assert person_a.status == Status.CASE_MANAGEMENT
    assert "has an open case with Carmen Casemanager, which must be closed first" in (
        response.content.decode()
    )

    client_for(carmen).post(
        reverse("cases:close", args=[person_a.cases.get().pk]), {"reason": "Moved away"}
    )
    client_for(alice).post(status, {"to_status": to_status, "reason": "moved"})
    person_a.refresh_from_db()
    assert person_a.status == to_status


@pytest.mark.parametrize("start", [Status.IDENTIFIED, Status.ENGAGED])
def test_in_case_management_is_not_set_by_hand(client_for, alice, person_a, start):
    if start != person_a.status:
        client_for(alice).post(reverse("people:status", args=[person_a.pk]), {"to_status": start})
    client = client_for(alice)
    page = client.get(reverse("people:detail", args=[person_a.pk])).content.decode()
    assert 'value="case_management"' not in page
    changes = person_a.status_changes.count()

    response = client.post(
        reverse("people:status", args=[person_a.pk]), {"to_status": "case_management"}, follow=True
    )
    person_a.refresh_from_db()
    page = response.content.decode()
    assert person_a.status == start
    assert person_a.status_changes.count() == changes
    assert "once a case manager accepts an introduction or opens a case" in page
    assert "Introduce to a case manager" in page


def test_program_staff_cannot_close_a_record(client_for, org_a, person_a):
    from peacehub.accounts.roles import Role
    from peacehub.accounts.tests.factories import member

    clinician = member(org_a, Role.BEHAVIORAL_HEALTH_CLINICIAN)
    response = client_for(clinician).post(
        reverse("people:status", args=[person_a.pk]),
        {"to_status": "closed", "reason": "moved"},
        follow=True,
    )
    person_a.refresh_from_db()
    assert person_a.status == Status.IDENTIFIED
    assert b"Your role cannot close" in response.content


def test_supervisor_exports_own_organization_only(client_for, bob, person_a, person_b):
    response = client_for(bob).get(reverse("people:export"))
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "Washington" in body
    assert "Hernandez" not in body
    assert AuditEvent.objects.get(action="export").detail["record_ids"] == [str(person_a.pk)]


def test_list_reads_are_audited_with_the_ids_shown(client_for, alice, person_a):
    client_for(alice).get(reverse("people:list"))
    event = AuditEvent.objects.get(action="list")
    assert event.detail["record_ids"] == [str(person_a.pk)]
    assert event.actor_email == "alice@example.org"


def test_list_query_count_does_not_grow_with_people(
    client_for, alice, org_a, django_assert_max_num_queries
):
    from peacehub.people.tests.factories import PersonFactory

    PersonFactory.create_batch(20, organization=org_a)
    client = client_for(alice)
    client.get(reverse("people:list"))  # warm the session
    with django_assert_max_num_queries(12):
        response = client.get(reverse("people:list"))
    assert len(response.context["page"].object_list) == 20


def test_htmx_search_returns_only_the_results_fragment(client_for, alice, person_a):
    response = client_for(alice).get(
        reverse("people:list"), {"q": "washingtn"}, headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert "Jamal Washington" in content
    assert "<html" not in content


def test_autocomplete_finds_by_nickname(client_for, alice, person_a):
    person_a.nicknames = "Boogie"
    from peacehub.people.services import person_refresh_search

    person_refresh_search(person_a)
    person_a.save()
    response = client_for(alice).get(reverse("people:autocomplete"), {"q": "boogy"})
    assert "Jamal Washington" in response.content.decode()


def test_a_refused_status_change_keeps_what_was_typed(client_for, alice, person_a):
    """Closing without a reason: the person's page again (400), the reason asked for on
    its field, and the note typed still there, nothing changed."""
    client = client_for(alice)
    page = client.get(reverse("people:detail", args=[person_a.pk])).content.decode()
    status_note = re.search(r'<input[^>]*name="note"[^>]*id="id_note"[^>]*>', page).group()
    assert "maxlength" not in status_note
    assert "At most 500 characters." in page

    note = "Moved to his aunt's in Gary, asked us to stop calling"
    response = client.post(
        reverse("people:status", args=[person_a.pk]), {"to_status": "closed", "note": note}
    )

    assert response.status_code == 400
    form = response.context["status_form"]
    assert form.errors["reason"] == [
        "Give the reason for closing: it is required when closing the record."
    ]
    content = html.unescape(response.content.decode())
    assert f'value="{note}"' in content
    assert "Nothing was saved" in content
    person_a.refresh_from_db()
    assert person_a.status == Status.IDENTIFIED
    assert person_a.status_changes.count() == 1


def test_a_status_note_too_long_is_refused_and_shown_again(client_for, alice, person_a):
    note = "n" * 501
    response = client_for(alice).post(
        reverse("people:status", args=[person_a.pk]), {"to_status": "engaged", "note": note}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "at most 500 characters (it has 501)" in content
    assert note in content
    person_a.refresh_from_db()
    assert person_a.status == Status.IDENTIFIED


def test_the_person_form_does_not_cut_names(client_for, alice):
    page = client_for(alice).get(reverse("people:create")).content.decode()
    for name in ("legal_first_name", "legal_last_name", "preferred_name", "nicknames"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group()
        assert "maxlength" not in tag, name
    assert "At most 100 characters." in page
