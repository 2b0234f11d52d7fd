import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from peacehub.academy.catalogue import CATALOGUE, SIGNATURE_OUTREACH
from peacehub.academy.models import Course, Interest
from peacehub.academy.tests.factories import CohortFactory, CourseFactory, InterestFactory
from peacehub.accounts.roles import Role
from peacehub.accounts.tests.factories import member
from peacehub.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


# --- The catalogue ---------------------------------------------------------------------


def test_the_catalogue_loads_once_and_keeps_trainers_edits():
    out = io.StringIO()
    call_command("load_academy_catalogue", stdout=out)
    assert "Added 5 of the catalogue's 5 courses" in out.getvalue()
    assert Course.objects.count() == len(CATALOGUE)
    signature = Course.objects.get(slug=SIGNATURE_OUTREACH)
    assert (signature.name, signature.required_hours, signature.length_weeks) == (
        "Signature Outreach Training",
        Decimal(144),
        18,
    )
    names = set(Course.objects.values_list("name", flat=True))
    assert names == {
        "Signature Outreach Training",
        "Case Manager Training",
        "MPA-X",
        "Community Training Academy",
        "ReCAST community trainings",
    }
    recast = Course.objects.get(slug="recast-community-trainings")
    for topic in (
        "adverse childhood experiences",
        "the impact of community violence",
        "mental health and wellness",
        "nonviolence",
        "restorative justice practices",
        "self-care",
        "trauma-informed care",
    ):
        assert topic in recast.summary
    assert all(c.name_es and c.summary_es for c in Course.objects.all())

    signature.required_hours = 150
    signature.save()
    out = io.StringIO()
    call_command("load_academy_catalogue", stdout=out)
    assert "Added 0 of" in out.getvalue()
    assert Course.objects.count() == len(CATALOGUE)
    assert Course.objects.get(slug=SIGNATURE_OUTREACH).required_hours == 150


# --- Courses -----------------------------------------------------------------------------


def _course(**changes):
    return {
        "slug": "violence-interrupters-refresher",
        "name": "Violence interrupters refresher",
        "name_es": "Repaso para interruptores de violencia",
        "audience": "coalition_staff",
        "required_hours": "12",
        "length_weeks": "2",
        "is_active": "on",
        **changes,
    }


def test_a_trainer_adds_and_edits_a_course(client_for, tara):
    client = client_for(tara)
    assert client.get(reverse("academy:courses")).status_code == 200
    assert client.get(reverse("academy:course_new")).status_code == 200
    response = client.post(reverse("academy:course_new"), _course())
    assert response.status_code == 302
    course = Course.objects.get()
    assert course.required_hours == 12
    assert AuditEvent.objects.filter(action="create", record_id=str(course.pk)).exists()

    response = client.post(
        reverse("academy:course_edit", args=[course.pk]),
        _course(required_hours="16", slug="an-attempt-to-rename"),
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.required_hours == 16
    assert course.slug == "violence-interrupters-refresher"  # the catalogue's key holds
    event = AuditEvent.objects.get(action="update", record_id=str(course.pk))
    assert event.detail == {"fields": ["required_hours"]}


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"required_hours": "-4"}, "required_hours"),
        ({"required_hours": "0"}, "required_hours"),
        ({"required_hours": "many"}, "required_hours"),
        ({"audience": "police"}, "audience"),
        ({"name": ""}, "name"),
        ({"slug": "has spaces"}, "slug"),
    ],
)
def test_a_bad_course_is_refused_and_nothing_saved(client_for, tara, changes, field):
    response = client_for(tara).post(reverse("academy:course_new"), _course(**changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Course.objects.exists()


def test_a_bad_course_edit_changes_nothing(client_for, tara):
    course = CourseFactory(required_hours=40)
    response = client_for(tara).post(
        reverse("academy:course_edit", args=[course.pk]), _course(required_hours="-1")
    )
    assert response.status_code == 400
    assert "more than 0 hours" in response.content.decode()
    course.refresh_from_db()
    assert course.required_hours == 40


@pytest.mark.parametrize("role", [r for r in Role if r != Role.TRAINER])
def test_only_trainers_manage_courses(client, org_a, role):
    course = CourseFactory()
    client.force_login(member(org_a, role))
    for url in [
        reverse("academy:courses"),
        reverse("academy:course_new"),
        reverse("academy:course_edit", args=[course.pk]),
    ]:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("academy:course_new"), _course()).status_code == 403
    assert Course.objects.count() == 1


# --- Interest from the public, for trainers -------------------------------------------------


def test_a_trainer_sees_and_handles_interest(client_for, tara, convener, org_b):
    ours = InterestFactory(cohort__organization=convener, name="Rosa Delgado", phone="555-0142")
    InterestFactory(cohort__organization=org_b, name="Their Contact")
    client = client_for(tara)
    response = client.get(reverse("academy:interests"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Rosa Delgado" in content and "555-0142" in content
    assert "Their Contact" not in content
    event = AuditEvent.objects.get(action="list", record_type="academy.interest")
    assert event.detail["record_ids"] == [str(ours.pk)]

    response = client.post(reverse("academy:interest_handled", args=[ours.pk]), {"handled": "1"})
    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.handled_at is not None and ours.handled_by == tara
    assert "Rosa Delgado" not in client.get(reverse("academy:interests")).content.decode()
    assert (
        "Rosa Delgado"
        in client.get(reverse("academy:interests"), {"handled": "1"}).content.decode()
    )

    client.post(reverse("academy:interest_handled", args=[ours.pk]), {"handled": "0"})
    ours.refresh_from_db()
    assert ours.handled_at is None


def test_interest_of_another_organization_is_404_and_a_supervisor_gets_403(client, trent, convener):
    interest = InterestFactory(cohort__organization=convener)
    client.force_login(trent)
    assert client.post(reverse("academy:interest_handled", args=[interest.pk])).status_code == 404
    client.force_login(member(convener, Role.SUPERVISOR))
    assert client.post(reverse("academy:interest_handled", args=[interest.pk])).status_code == 403
    assert client.get(reverse("academy:interests")).status_code == 403
    interest.refresh_from_db()
    assert interest.handled_at is None


def test_interest_list_query_count(client_for, tara, convener, django_assert_max_num_queries):
    cohort = CohortFactory(organization=convener, open_to_public=True)
    for _ in range(15):
        InterestFactory(cohort=cohort)
    client = client_for(tara)
    client.get(reverse("academy:interests"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("academy:interests"))
    assert len(response.context["page"].object_list) == 15


def test_the_database_wants_a_way_to_reply():
    from django.db import IntegrityError, transaction

    cohort = CohortFactory(ends_on=timezone.localdate())
    with pytest.raises(IntegrityError), transaction.atomic():
        Interest.objects.create(cohort=cohort, name="Nobody", email="", phone="")
