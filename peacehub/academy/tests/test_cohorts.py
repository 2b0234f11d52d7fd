import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from peacehub.academy.models import Cohort, Session
from peacehub.academy.tests.factories import (
    CohortFactory,
    EnrollmentFactory,
    SessionFactory,
    sessions_for,
    signature_outreach,
)
from peacehub.accounts.roles import Role
from peacehub.accounts.tests.factories import member
from peacehub.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _cohort_data(**changes):
    today = timezone.localdate()
    data = {
        "course": signature_outreach().pk,
        "name": "Signature Outreach — Fall",
        "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(weeks=18)).isoformat(),
        "place": "Park fieldhouse, Englewood",
        **changes,
    }
    return data


def test_a_trainer_starts_a_cohort(client_for, tara, convener):
    client = client_for(tara)
    assert client.get(reverse("academy:cohort_new")).status_code == 200
    response = client.post(
        reverse("academy:cohort_new"), _cohort_data(trainers=[tara.pk], open_to_public="on")
    )
    cohort = Cohort.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("academy:cohort", args=[cohort.pk])
    assert cohort.organization == convener
    assert list(cohort.trainers.all()) == [tara]
    assert cohort.open_to_public
    assert AuditEvent.objects.filter(action="create", record_id=str(cohort.pk)).exists()


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"ends_on": "2020-01-01", "starts_on": "2020-02-01"}, "ends_on", "cannot end before"),
        ({"name": ""}, "name", "required"),
        ({"starts_on": "soon"}, "starts_on", "valid date"),
        ({"course": "00000000-0000-4000-8000-000000000009"}, "course", "valid choice"),
        ({"place": "x" * 201}, "place", "at most 200"),
    ],
)
def test_a_bad_cohort_is_refused_and_nothing_saved(client_for, tara, changes, field, message):
    response = client_for(tara).post(reverse("academy:cohort_new"), _cohort_data(**changes))
    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    assert any(message in e for e in errors), errors
    assert b"Nothing was saved" in response.content
    assert not Cohort.objects.exists()


def test_only_the_organizations_trainers_can_teach_a_cohort(client_for, tara, trent):
    response = client_for(tara).post(
        reverse("academy:cohort_new"), _cohort_data(trainers=[trent.pk])
    )
    assert response.status_code == 400
    assert "trainers" in response.context["form"].errors
    assert not Cohort.objects.exists()


def test_editing_a_cohort_keeps_its_sessions_inside_its_dates(client_for, tara, cohort):
    SessionFactory(cohort=cohort, held_on=cohort.starts_on + datetime.timedelta(days=30))
    client = client_for(tara)
    assert client.get(reverse("academy:cohort_edit", args=[cohort.pk])).status_code == 200
    data = _cohort_data(
        course=cohort.course_id,
        starts_on=cohort.starts_on.isoformat(),
        ends_on=(cohort.starts_on + datetime.timedelta(days=10)).isoformat(),
        trainers=[tara.pk],
    )
    response = client.post(reverse("academy:cohort_edit", args=[cohort.pk]), data)
    assert response.status_code == 400
    assert "would fall outside these dates" in response.content.decode()
    cohort.refresh_from_db()
    assert cohort.ends_on - cohort.starts_on == datetime.timedelta(weeks=18)

    data["ends_on"] = cohort.ends_on.isoformat()
    data["name"] = "Renamed"
    response = client.post(reverse("academy:cohort_edit", args=[cohort.pk]), data)
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert cohort.name == "Renamed"


def test_another_organizations_trainer_gets_404_and_a_supervisor_403(
    client, tara, trent, cohort, convener
):
    supervisor = member(convener, Role.SUPERVISOR)
    for url in [
        reverse("academy:cohort", args=[cohort.pk]),
        reverse("academy:cohort_edit", args=[cohort.pk]),
        reverse("academy:session_new", args=[cohort.pk]),
        reverse("academy:enroll", args=[cohort.pk]),
        reverse("academy:roster_export", args=[cohort.pk]),
    ]:
        client.force_login(trent)
        assert client.get(url).status_code == 404, url
        client.force_login(supervisor)
        assert client.get(url).status_code == 403, url


def test_the_cohort_page_shows_the_roster_and_is_audited(client_for, tara, cohort):
    enrollment = EnrollmentFactory(cohort=cohort, trainee__full_name="Keisha Brown")
    response = client_for(tara).get(reverse("academy:cohort", args=[cohort.pk]))
    assert response.status_code == 200
    assert "Keisha Brown" in response.content.decode()
    event = AuditEvent.objects.get(action="list", record_id=str(cohort.pk))
    assert event.detail["trainee_ids"] == [str(enrollment.trainee_id)]
    assert event.organization_id == str(cohort.organization_id)


def test_cohort_list_shows_own_organizations_cohorts_only(client_for, tara, cohort, org_b):
    CohortFactory(organization=org_b, name="Their cohort")
    content = client_for(tara).get(reverse("academy:cohorts")).content.decode()
    assert cohort.name in content
    assert "Their cohort" not in content


def test_cohort_list_query_count_does_not_grow(
    client_for, tara, convener, django_assert_max_num_queries
):
    for n in range(12):
        cohort = CohortFactory(organization=convener, name=f"Cohort {n}")
        for _ in range(3):
            EnrollmentFactory(cohort=cohort)
        sessions_for(cohort, 5)
    client = client_for(tara)
    client.get(reverse("academy:cohorts"))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("academy:cohorts"))
    cohorts = response.context["page"].object_list
    assert len(cohorts) == 12
    assert {(c.trainee_count, c.session_count) for c in cohorts} == {(3, 5)}


def test_cohort_page_query_count_does_not_grow_with_trainees(
    client_for, tara, cohort, django_assert_max_num_queries
):
    sessions = sessions_for(cohort, 10)
    for _ in range(15):
        enrollment = EnrollmentFactory(cohort=cohort)
        for session in sessions[:3]:
            enrollment.attendances.create(session=session, present=True, hours_credited=4)
    client = client_for(tara)
    client.get(reverse("academy:cohort", args=[cohort.pk]))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("academy:cohort", args=[cohort.pk]))
    assert len(response.context["roster"]) == 15
    assert all(e.hours == 12 for e in response.context["roster"])
    held = [s.held_on for s in response.context["sessions"]]
    assert held == sorted(held)
    assert [s.present_count for s in response.context["sessions"]] == [15, 15, 15] + [0] * 7


# --- Sessions ------------------------------------------------------------------------


def _session_data(cohort, **changes):
    return {
        "held_on": cohort.starts_on.isoformat(),
        "topic": "Trauma-informed services",
        "hours": "4",
        **changes,
    }


def test_a_trainer_adds_a_session(client_for, tara, cohort):
    client = client_for(tara)
    assert client.get(reverse("academy:session_new", args=[cohort.pk])).status_code == 200
    response = client.post(
        reverse("academy:session_new", args=[cohort.pk]),
        _session_data(cohort, starts_at="09:00", ends_at="13:30", hours="4.5", trainer=tara.pk),
    )
    session = Session.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("academy:session", args=[session.pk])
    assert session.hours == Decimal("4.5")
    assert session.trainer == tara
    assert AuditEvent.objects.filter(action="create", record_id=str(session.pk)).exists()


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"hours": "25"}, "hours", "cannot be longer than a day"),
        ({"hours": "36"}, "hours", "cannot be longer than a day"),
        ({"hours": "-2"}, "hours", "cannot be negative"),
        ({"hours": "0"}, "hours", "more than 0 hours"),
        ({"hours": "four"}, "hours", "Enter a number"),
        ({"hours": "1.005"}, "hours", "decimal places"),
        ({"starts_at": "09:00"}, "__all__", "both the start and the end"),
        ({"starts_at": "14:00", "ends_at": "09:00"}, "ends_at", "ends after it starts"),
        ({"starts_at": "09:00", "ends_at": "11:00", "hours": "3"}, "hours", "More hours"),
        ({"held_on": "2001-01-01"}, "held_on", "This cohort runs from"),
        ({"topic": ""}, "topic", "required"),
    ],
)
def test_a_bad_session_is_refused_and_nothing_saved(
    client_for, tara, cohort, changes, field, message
):
    response = client_for(tara).post(
        reverse("academy:session_new", args=[cohort.pk]), _session_data(cohort, **changes)
    )
    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    assert any(message in e for e in errors), errors
    assert not Session.objects.exists()


def test_a_session_of_another_organizations_trainer_cannot_be_added(client_for, trent, cohort):
    response = client_for(trent).post(
        reverse("academy:session_new", args=[cohort.pk]), _session_data(cohort)
    )
    assert response.status_code == 404
    assert not Session.objects.exists()


def test_the_database_refuses_a_session_longer_than_a_day(cohort):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.create(cohort=cohort, held_on=cohort.starts_on, topic="x", hours=25)
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.create(cohort=cohort, held_on=cohort.starts_on, topic="x", hours=-1)
