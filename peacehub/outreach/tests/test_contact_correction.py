"""A worker corrects a contact they logged, for a week: on the page and in the API."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from peacehub.accounts.roles import Role
from peacehub.accounts.tests.factories import member
from peacehub.audit.models import AuditEvent
from peacehub.outreach.models import Contact
from peacehub.outreach.services import CONTACT_CORRECTION_WINDOW, contact_correct
from peacehub.outreach.tests.factories import ContactFactory, area
from peacehub.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(alice, person_a):
    return ContactFactory(
        person=person_a,
        worker=alice,
        created_at=timezone.now() - datetime.timedelta(days=2),
        occurred_at=timezone.now() - datetime.timedelta(days=2, hours=1),
        note="Talked abot a job lead",
        minutes=20,
    )


def _form_of(response) -> dict:
    """What the page's form would post back untouched."""
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if name in ("occurred_at", "follow_up_by"):
            value = field.widget.format_value(value)
        data[name] = value
    return data


def _updates(contact):
    return AuditEvent.objects.filter(action="update", record_id=str(contact.pk))


def test_a_typo_is_corrected_and_the_log_names_the_field_only(client_for, alice, contact):
    client = client_for(alice)
    url = reverse("outreach:contact_correct", args=[contact.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Talked abot a job lead" in page.content.decode()
    assert "Jamal Washington" in page.content.decode()  # who it was with, not a choice
    assert "person" not in page.context["form"].fields

    data = {**_form_of(page), "note": "Talked about a job lead", "minutes": "25"}
    response = client.post(url, data, follow=True)

    assert response.redirect_chain[-1][0] == (
        f"{reverse('outreach:contacts')}?person={contact.person_id}"
    )
    assert "Contact corrected." in response.content.decode()
    contact.refresh_from_db()
    assert contact.note == "Talked about a job lead" and contact.minutes == 25
    [event] = _updates(contact)
    assert sorted(event.detail["fields"]) == ["minutes", "note"]
    assert "job lead" not in str(event.detail) and "25" not in str(event.detail)
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM outreach_contact WHERE id = %s", [contact.pk.hex])
        [(raw,)] = cursor.fetchall()
    assert raw.startswith("fernet:") and "job lead" not in raw


def test_the_form_sent_back_unchanged_writes_nothing(client_for, alice, contact):
    """Even with a follow-up date that has passed since, and a time with seconds."""
    Contact.objects.filter(pk=contact.pk).update(
        follow_up_by=timezone.localdate() - datetime.timedelta(days=1)
    )
    client = client_for(alice)
    url = reverse("outreach:contact_correct", args=[contact.pk])
    before = Contact.objects.values().get(pk=contact.pk)

    response = client.post(url, _form_of(client.get(url)), follow=True)

    assert response.status_code == 200
    assert "Nothing to correct." in response.content.decode()
    assert Contact.objects.values().get(pk=contact.pk) == before
    assert not _updates(contact).exists()


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"occurred_at": "2099-01-01T10:00"}, "occurred_at", "A contact cannot be in the future."),
        ({"occurred_at": "1999-12-31T10:00"}, "occurred_at", None),
        ({"follow_up_by": "2001-01-01"}, "follow_up_by", "A follow-up date cannot be in the past."),
        ({"community_area": ""}, "community_area", None),
        ({"contact_type": "nonsense"}, "contact_type", None),
    ],
)
def test_bad_corrections_are_refused_with_everything_typed(
    client_for, alice, contact, changes, field, message
):
    client = client_for(alice)
    url = reverse("outreach:contact_correct", args=[contact.pk])
    before = Contact.objects.values().get(pk=contact.pk)
    data = {**_form_of(client.get(url)), "note": "A new note typed", **changes}

    response = client.post(url, data)

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    if message:
        assert message in response.content.decode()
    assert "A new note typed" in response.content.decode()
    assert Contact.objects.values().get(pk=contact.pk) == before
    assert not _updates(contact).exists()


def test_the_person_cannot_be_changed(client_for, alice, org_a, contact):
    other = PersonFactory(organization=org_a, legal_first_name="Other")
    client = client_for(alice)
    url = reverse("outreach:contact_correct", args=[contact.pk])
    data = {**_form_of(client.get(url)), "person": other.pk, "non_participant": "family"}

    client.post(url, data)

    contact.refresh_from_db()
    assert contact.person_id != other.pk and contact.non_participant == ""


def test_only_its_worker_can_correct_a_contact(client_for, org_a, bob, charlie, contact):
    """A colleague, the supervisor, another organization's worker: not found."""
    url = reverse("outreach:contact_correct", args=[contact.pk])
    colleague = member(org_a, Role.OUTREACH_WORKER, "colleague@example.org")
    before = Contact.objects.values().get(pk=contact.pk)
    for other in (colleague, bob, charlie):
        client = client_for(other)
        assert client.get(url).status_code == 404
        response = client.post(url, {"contact_type": "phone", "note": "x", "community_area": 1})
        assert response.status_code == 404
        assert "Jamal" not in response.content.decode()
    assert Contact.objects.values().get(pk=contact.pk) == before


def test_a_contact_cannot_be_corrected_after_seven_days(client_for, alice, contact):
    Contact.objects.filter(pk=contact.pk).update(
        created_at=timezone.now() - CONTACT_CORRECTION_WINDOW - datetime.timedelta(minutes=1)
    )
    client = client_for(alice)
    url = reverse("outreach:contact_correct", args=[contact.pk])
    message = "This contact was logged more than 7 days ago: it can no longer be corrected."
    page = client.get(url)
    assert page.status_code == 200 and message in page.content.decode()
    before = Contact.objects.values().get(pk=contact.pk)

    data = {**_form_of(page), "note": "Too late"}
    response = client.post(url, data)

    assert response.status_code == 400
    assert message in response.content.decode() and "Too late" in response.content.decode()
    assert Contact.objects.values().get(pk=contact.pk) == before
    assert not _updates(contact).exists()


def test_the_contact_list_offers_correct_on_own_recent_contacts(
    client_for, alice, org_a, person_a, contact
):
    colleague = member(org_a, Role.OUTREACH_WORKER, "colleague@example.org")
    theirs = ContactFactory(person=person_a, worker=colleague)
    old = ContactFactory(
        person=person_a, worker=alice, created_at=timezone.now() - datetime.timedelta(days=8)
    )

    page = client_for(alice).get(reverse("outreach:contacts")).content.decode()

    def offered(c):
        return bool(re.search(reverse("outreach:contact_correct", args=[c.pk]), page))

    assert offered(contact) and not offered(theirs) and not offered(old)


# --- API -----------------------------------------------------------------------------


def test_api_corrects_only_what_is_sent(api_as, alice, contact):
    before = Contact.objects.values().get(pk=contact.pk)
    response = api_as(alice)(
        "patch",
        f"/api/v1/contacts/{contact.pk}/correct",
        {"note": "Talked about a job lead", "community_area": 25},
    )
    assert response.status_code == 200, response.content
    assert response.json()["community_area"] == 25
    after = Contact.objects.values().get(pk=contact.pk)
    assert after["note"] == "Talked about a job lead" and after["community_area_id"] == area(25).pk
    for field in ("occurred_at", "minutes", "contact_type", "topics", "follow_up_by"):
        assert after[field] == before[field]
    [event] = _updates(contact)
    assert sorted(event.detail["fields"]) == ["community_area", "note"]


@pytest.mark.parametrize(
    "payload",
    [
        {"occurred_at": "2099-01-01T10:00"},
        {"person": "00000000-0000-0000-0000-000000000000"},
        {"non_participant": "family"},
        {"community_area": None},
    ],
)
def test_api_refuses_a_bad_correction_and_changes_nothing(api_as, alice, contact, payload):
    before = Contact.objects.values().get(pk=contact.pk)
    response = api_as(alice)("post", f"/api/v1/contacts/{contact.pk}/correct", payload)
    assert response.status_code == 400
    assert Contact.objects.values().get(pk=contact.pk) == before
    assert not _updates(contact).exists()


def test_api_correction_is_for_its_worker_within_the_window(api_as, alice, bob, charlie, contact):
    url = f"/api/v1/contacts/{contact.pk}/correct"
    for other in (bob, charlie):
        assert api_as(other)("patch", url, {"note": "x"}).status_code == 404
    Contact.objects.filter(pk=contact.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    response = api_as(alice)("patch", url, {"note": "x"})
    assert response.status_code == 400
    assert "can no longer be corrected" in str(response.json()["errors"])
    contact.refresh_from_db()
    assert contact.note == "Talked abot a job lead"


def test_the_correction_is_in_the_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    operations = schema["paths"]["/api/v1/contacts/{contact_id}/correct"]
    assert {"post", "patch"} <= set(operations)


def test_the_service_refuses_another_person(rf, alice, org_a, contact):
    request = rf.post("/")
    request.user = alice
    other = PersonFactory(organization=org_a)
    for data in ({"person": other}, {"person": None, "non_participant": "family"}):
        with pytest.raises(ValidationError):
            contact_correct(request=request, contact=contact, data={**data, "note": "x"})
    contact.refresh_from_db()
    assert contact.person_id is not None and contact.note == "Talked abot a job lead"


def test_a_contact_with_a_non_participant_goes_back_home(client_for, alice, org_a):
    contact = ContactFactory(
        person=None, non_participant="family", worker=alice, organization=org_a
    )
    client = client_for(alice)
    url = reverse("outreach:contact_correct", args=[contact.pk])
    response = client.post(url, {**_form_of(client.get(url)), "minutes": "5"})
    assert response.status_code == 302 and response["Location"] == reverse("outreach:home")
    contact.refresh_from_db()
    assert contact.minutes == 5 and contact.non_participant == "family"
