"""The public trainings page and the interest form: no sign-in, English and Spanish,
rate-limited and spam-resistant; a refused post saves nothing."""

import datetime
import html
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from peacehub.academy import services
from peacehub.academy.forms import interest_form_token
from peacehub.academy.models import Interest
from peacehub.academy.tests.factories import CohortFactory, CourseFactory, EnrollmentFactory
from peacehub.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = reverse("academy:public_interest")


@pytest.fixture
def recast(convener):
    course = CourseFactory(
        slug="recast-community-trainings",
        name="ReCAST community trainings",
        name_es="Capacitaciones comunitarias ReCAST",
        summary="Adverse childhood experiences, self-care.",
        summary_es="Experiencias adversas en la infancia, autocuidado.",
        audience="community",
        required_hours=14,
    )
    today = timezone.localdate()
    return CohortFactory(
        course=course,
        organization=convener,
        name="ReCAST — Englewood spring series",
        starts_on=today + datetime.timedelta(days=14),
        ends_on=today + datetime.timedelta(days=63),
        place="Park fieldhouse, Englewood",
        open_to_public=True,
    )


def _form(training, *, age: float = 10, **changes):
    return {
        "cohort": str(training.pk),
        "name": "Rosa Delgado",
        "email": "rosa@example.org",
        "phone": "",
        "preferred_language": "es",
        "message": "¿Hay cuidado de niños?",
        "website": "",
        "started": interest_form_token(time.time() - age),
        **changes,
    }


def test_the_public_page_lists_open_trainings_only(client, recast, cohort, convener):
    CohortFactory(
        organization=convener,
        name="Finished series",
        open_to_public=True,
        starts_on=timezone.localdate() - datetime.timedelta(days=60),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    EnrollmentFactory(cohort=recast, trainee__full_name="Private Person")
    response = client.get(reverse("academy:public_trainings"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "ReCAST — Englewood spring series" in content
    assert "Park fieldhouse, Englewood" in content
    assert "Community members" in content
    assert cohort.name not in content  # not open to the public
    assert "Finished series" not in content
    assert "Private Person" not in content


def test_the_public_pages_speak_spanish(client, recast):
    response = client.get(reverse("academy:public_trainings"), HTTP_ACCEPT_LANGUAGE="es")
    content = response.content.decode()
    assert '<html lang="es">' in content
    assert "Capacitaciones comunitarias ReCAST" in content
    assert "Experiencias adversas en la infancia" in content
    form = client.get(URL, {"cohort": recast.pk}, HTTP_ACCEPT_LANGUAGE="es")
    assert form.status_code == 200
    assert form.context["form"]["preferred_language"].initial == "es"
    assert "Capacitaciones comunitarias ReCAST" in form.content.decode()


def test_someone_says_they_are_interested(client, recast):
    page = client.get(URL, {"cohort": recast.pk})
    assert page.status_code == 200
    assert page.context["form"]["cohort"].initial == str(recast.pk)

    response = client.post(URL, _form(recast), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    assert response["Location"] == reverse("academy:public_interest_thanks")
    interest = Interest.objects.get()
    assert (interest.cohort, interest.name, interest.preferred_language) == (
        recast,
        "Rosa Delgado",
        "es",
    )
    # Only a keyed hash of the address is kept with it; the audit log has the address.
    assert "203.0.113.7" not in interest.client_hash and len(interest.client_hash) == 64
    event = AuditEvent.objects.get(record_id=str(interest.pk))
    assert event.ip_address == "203.0.113.7"
    assert event.organization_id == str(recast.organization_id)
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Thank you" in thanks.content.decode()


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"name": ""}, "name", "required"),
        ({"email": "", "phone": ""}, "email", "Give an email address or a phone number"),
        ({"email": "rosa@"}, "email", "valid email"),
        ({"phone": "call me maybe"}, "phone", "7 to 15 digits"),
        ({"cohort": "00000000-0000-4000-8000-000000000009"}, "cohort", "valid choice"),
        ({"cohort": "nope"}, "cohort", "valid choice"),
        ({"preferred_language": "fr"}, "preferred_language", "valid choice"),
        ({"message": "x" * 1001}, "message", "at most 1000"),
    ],
)
def test_a_malformed_interest_is_refused_and_nothing_saved(client, recast, changes, field, message):
    response = client.post(URL, _form(recast, **changes))
    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    assert any(message in e for e in errors), errors
    assert b"Nothing was saved" in response.content
    # What the person typed is still there.
    assert b"Rosa Delgado" in response.content or field == "name"
    assert not Interest.objects.exists()


def test_a_training_not_open_to_the_public_cannot_be_chosen(client, cohort):
    response = client.post(URL, _form(cohort))
    assert response.status_code == 400
    assert "cohort" in response.context["form"].errors
    assert not Interest.objects.exists()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"website": "http://spam.example"}, "We could not accept this form"),
        ({"started": ""}, "We could not accept this form"),
        ({"started": "1700000000.0"}, "We could not accept this form"),
        ({"age": 1}, "faster than a person"),
        ({"age": 2 * 86400}, "more than a day"),
    ],
)
def test_spam_is_refused_with_a_clear_message_and_nothing_saved(client, recast, changes, message):
    response = client.post(URL, _form(recast, **changes))
    assert response.status_code == 400
    content = html.unescape(response.content.decode())
    assert "Nothing was saved." in content
    assert message in content
    assert "Rosa Delgado" in content  # nothing the person typed is lost
    # A fresh token, so that a person can simply send it again.
    assert response.context["token"] != changes.get("started")
    assert not Interest.objects.exists()


def test_five_an_hour_from_one_address(client, recast):
    for n in range(services.INTEREST_LIMIT_PER_HOUR):
        response = client.post(URL, _form(recast, name=f"Person {n}"), REMOTE_ADDR="198.51.100.4")
        assert response.status_code == 302
    response = client.post(URL, _form(recast, name="One too many"), REMOTE_ADDR="198.51.100.4")
    assert response.status_code == 429
    assert "several messages from your connection" in response.content.decode()
    assert b"One too many" in response.content
    assert Interest.objects.count() == services.INTEREST_LIMIT_PER_HOUR
    assert not Interest.objects.filter(name="One too many").exists()
    # Another address is not held back.
    response = client.post(URL, _form(recast, name="Neighbor"), REMOTE_ADDR="198.51.100.5")
    assert response.status_code == 302

    # An hour later, the first address may write again.
    Interest.objects.update(submitted_at=timezone.now() - datetime.timedelta(minutes=61))
    response = client.post(URL, _form(recast, name="Later"), REMOTE_ADDR="198.51.100.4")
    assert response.status_code == 302


def test_address_hashes_are_not_kept_past_a_day(client, recast):
    client.post(URL, _form(recast), REMOTE_ADDR="198.51.100.4")
    Interest.objects.update(submitted_at=timezone.now() - datetime.timedelta(days=2))
    client.post(URL, _form(recast, name="Next day"), REMOTE_ADDR="198.51.100.9")
    assert Interest.objects.get(name="Rosa Delgado").client_hash == ""
    assert Interest.objects.get(name="Next day").client_hash != ""


def test_the_public_pages_need_no_sign_in(client, recast):
    for url in [
        reverse("academy:public_trainings"),
        URL,
        reverse("academy:public_interest_thanks"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url


def test_the_public_list_query_count(client, convener, django_assert_max_num_queries):
    for n in range(10):
        CohortFactory(
            organization=convener,
            open_to_public=True,
            ends_on=timezone.localdate() + datetime.timedelta(days=30),
            starts_on=timezone.localdate(),
            name=f"Series {n}",
        )
    with django_assert_max_num_queries(3):
        response = client.get(reverse("academy:public_trainings"))
    assert response.content.decode().count("I am interested") == 10
