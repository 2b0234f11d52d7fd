import pytest
from django.urls import reverse

from peacehub.audit.models import AuditEvent
from peacehub.people.models import Person, Status

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
