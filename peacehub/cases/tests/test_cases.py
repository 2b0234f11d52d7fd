import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from peacehub.accounts.roles import Role
from peacehub.accounts.tests.factories import member
from peacehub.cases.models import (
    Assessment,
    AssessmentTemplate,
    Case,
    CaseNote,
    Goal,
    Intake,
    ReentryPlan,
)
from peacehub.cases.tests.factories import CaseFactory
from peacehub.outreach.tests.factories import IntroductionFactory
from peacehub.people.models import Status
from peacehub.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
IN_SIX_YEARS = (datetime.date.today() + datetime.timedelta(days=6 * 366)).isoformat()


@pytest.fixture
def case(carmen, person_a):
    return CaseFactory(person=person_a, case_manager=carmen)


def _ratings(value=3, **overrides):
    template = AssessmentTemplate.objects.get(is_current=True)
    data = {"assessed_on": TODAY().isoformat()}
    for key in template.domain_keys():
        data[f"{key}-rating"] = str(overrides.get(key, value))
        data[f"{key}-note"] = ""
    return data


def test_a_case_opens_with_intake_and_moves_the_person_to_case_management(
    client_for, carmen, person_a
):
    client = client_for(carmen)
    response = client.post(
        reverse("cases:open", args=[person_a.pk]),
        {"case_manager": carmen.memberships.get().pk},
    )
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:intake", args=[case.pk])
    person_a.refresh_from_db()
    assert person_a.status == Status.CASE_MANAGEMENT
    assert person_a.case_manager == carmen

    client.post(
        reverse("cases:intake", args=[case.pk]),
        {
            "intake_on": TODAY().isoformat(),
            "referred_by": "outreach",
            "reasons": "A job and his ID back",
            "immediate_safety_concern": "on",
            "safety_note": "Avoids 63rd street at night",
        },
    )
    intake = Intake.objects.get()
    assert intake.reasons == "A job and his ID back"
    assert intake.immediate_safety_concern


def test_one_open_case_per_person(client_for, carmen, case, person_a):
    response = client_for(carmen).post(
        reverse("cases:open", args=[person_a.pk]), {"case_manager": carmen.memberships.get().pk}
    )
    assert response.status_code == 400
    assert b"already has an open case" in response.content
    assert Case.objects.count() == 1


def _open(client, person, case_manager, **data):
    return client.post(
        reverse("cases:open", args=[person.pk]),
        {"case_manager": case_manager.memberships.get().pk, **data},
    )


def test_an_older_paper_case_opens_on_its_own_day_and_takes_its_intake(
    client_for, carmen, person_a
):
    client = client_for(carmen)
    opened_on = TODAY() - datetime.timedelta(days=200)
    response = _open(client, person_a, carmen, opened_on=opened_on.isoformat())
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.opened_on == opened_on
    page = client.get(
        reverse("cases:open", args=[PersonFactory(organization=case.organization).pk])
    )
    assert page.context["form"]["opened_on"].value() == TODAY()

    client.post(
        reverse("cases:intake", args=[case.pk]),
        {
            "intake_on": (opened_on + datetime.timedelta(days=3)).isoformat(),
            "referred_by": "self",
            "reasons": "A job",
        },
    )
    assert Intake.objects.get().intake_on == opened_on + datetime.timedelta(days=3)


def test_a_case_opens_today_when_no_day_is_given(client_for, carmen, person_a):
    assert _open(client_for(carmen), person_a, carmen, opened_on="").status_code == 302
    assert Case.objects.get().opened_on == TODAY()


@pytest.mark.parametrize(
    "opened_on, message",
    [
        ("TOMORROW", "A case cannot be opened in the future."),
        ("1999-12-31", "This date is too far in the past: check the year."),
        ("someday", "Enter a valid date."),
    ],
)
def test_a_case_cannot_open_in_the_future_or_last_century(
    client_for, carmen, person_a, opened_on, message
):
    if opened_on == "TOMORROW":
        opened_on = (TODAY() + datetime.timedelta(days=1)).isoformat()
    response = _open(client_for(carmen), person_a, carmen, opened_on=opened_on)
    assert response.status_code == 400
    assert response.context["form"].errors["opened_on"] == [message]
    assert not Case.objects.exists()
    person_a.refresh_from_db()
    assert person_a.status != Status.CASE_MANAGEMENT


def test_a_case_cannot_open_before_the_last_one_closed(client_for, carmen, person_a):
    closed_on = TODAY() - datetime.timedelta(days=30)
    CaseFactory(
        person=person_a,
        case_manager=carmen,
        opened_on=closed_on - datetime.timedelta(days=100),
        closed_on=closed_on,
    )
    response = _open(
        client_for(carmen),
        person_a,
        carmen,
        opened_on=(closed_on - datetime.timedelta(days=1)).isoformat(),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["opened_on"] == [
        "A case cannot be opened before the participant's last case closed "
        f"({date_format(closed_on, 'SHORT_DATE_FORMAT')})."
    ]
    assert Case.objects.count() == 1


@pytest.mark.parametrize("intake_on", ["BEFORE_OPENED", "1901-05-01"])
def test_an_intake_before_the_case_was_opened_is_refused(client_for, carmen, case, intake_on):
    case.opened_on = TODAY() - datetime.timedelta(days=10)
    case.save(update_fields=["opened_on"])
    if intake_on == "BEFORE_OPENED":
        intake_on = (TODAY() - datetime.timedelta(days=11)).isoformat()
    response = client_for(carmen).post(
        reverse("cases:intake", args=[case.pk]),
        {"intake_on": intake_on, "referred_by": "self", "reasons": "A job"},
    )
    assert response.status_code == 400
    opened = date_format(case.opened_on, "SHORT_DATE_FORMAT")
    assert response.context["form"].errors["intake_on"] == [
        f"The intake cannot come before the case was opened ({opened})."
    ]
    assert not Intake.objects.exists()


@pytest.mark.parametrize("assessed_on", ["BEFORE_OPENED", "1901-05-01"])
def test_an_assessment_before_the_case_was_opened_is_refused(client_for, carmen, case, assessed_on):
    case.opened_on = TODAY() - datetime.timedelta(days=10)
    case.save(update_fields=["opened_on"])
    if assessed_on == "BEFORE_OPENED":
        assessed_on = (TODAY() - datetime.timedelta(days=11)).isoformat()
    response = client_for(carmen).post(
        reverse("cases:assessment_new", args=[case.pk]), {**_ratings(), "assessed_on": assessed_on}
    )
    assert response.status_code == 400
    opened = date_format(case.opened_on, "SHORT_DATE_FORMAT")
    assert response.context["form"].errors["assessed_on"] == [
        f"An assessment cannot come before the case was opened ({opened})."
    ]
    assert not Assessment.objects.exists()


def test_an_assessment_on_the_day_the_case_opened_is_saved(client_for, carmen, case):
    response = client_for(carmen).post(
        reverse("cases:assessment_new", args=[case.pk]),
        {**_ratings(), "assessed_on": case.opened_on.isoformat()},
    )
    assert response.status_code == 302
    assert Assessment.objects.get().assessed_on == case.opened_on


def test_an_assessment_rates_every_domain_and_the_chart_shows_the_change(client_for, carmen, case):
    case.opened_on = TODAY() - datetime.timedelta(days=100)
    case.save(update_fields=["opened_on"])
    client = client_for(carmen)
    earlier = _ratings(2)
    earlier["assessed_on"] = (TODAY() - datetime.timedelta(days=95)).isoformat()
    client.post(reverse("cases:assessment_new", args=[case.pk]), earlier)
    client.post(reverse("cases:assessment_new", args=[case.pk]), _ratings(2, housing=4))
    assert Assessment.objects.count() == 2

    page = client.get(reverse("cases:detail", args=[case.pk]))
    housing = next(row for row in page.context["history"] if row["label"] == "Housing")
    safety = next(row for row in page.context["history"] if row["label"] == "Safety")
    assert housing["ratings"] == [2, 4]
    assert housing["change"] == 2
    assert safety["change"] == 0
    assert housing["path"].startswith("M")
    assert 'class="spark"' in page.content.decode()


def test_assessment_labels_follow_the_language(client_for, carmen, case, settings):
    client = client_for(carmen)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = client.get(reverse("cases:assessment_new", args=[case.pk])).content.decode()
    assert "Vivienda" in page
    assert "¿Tiene un lugar estable donde quedarse?" in page


@pytest.mark.parametrize(
    "change, message",
    [
        ({"housing-rating": "6"}, "Select a valid choice"),
        ({"housing-rating": "0"}, "Select a valid choice"),
        ({"housing-rating": ""}, "This field is required"),
        ({"assessed_on": "2999-01-01"}, "cannot be dated in the future"),
        ({"housing-note": "n" * 501}, "at most 500"),
    ],
)
def test_a_bad_assessment_saves_nothing(client_for, carmen, case, change, message):
    response = client_for(carmen).post(
        reverse("cases:assessment_new", args=[case.pk]), {**_ratings(), **change}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_new_assessment_version_leaves_past_answers_alone(client_for, carmen, case):
    client = client_for(carmen)
    client.post(reverse("cases:assessment_new", args=[case.pk]), _ratings(3))
    v1 = AssessmentTemplate.objects.get(is_current=True)
    v1.is_current = False
    v1.save(update_fields=["is_current"])
    AssessmentTemplate.objects.create(
        name=v1.name,
        version=2,
        is_current=True,
        domains=[
            *v1.domains,
            {
                "key": "transport",
                "label_en": "Transport",
                "label_es": "Transporte",
                "question_en": "?",
                "question_es": "?",
            },
        ],
    )
    client.post(
        reverse("cases:assessment_new", args=[case.pk]),
        _ratings(4) | {"transport-rating": "2", "transport-note": ""},
    )

    first, second = Assessment.objects.order_by("created_at")
    assert first.template.version == 1
    assert first.ratings.count() == 11
    assert second.template.version == 2
    assert second.ratings.count() == 12
    assert set(first.ratings.values_list("rating", flat=True)) == {3}


def test_goals_with_target_dates_status_and_progress(client_for, carmen, case):
    client = client_for(carmen)
    target = (TODAY() + datetime.timedelta(days=60)).isoformat()
    client.post(
        reverse("cases:goal_add", args=[case.pk]),
        {"domain": "education", "description": "Pass the GED math test", "target_date": target},
    )
    goal = Goal.objects.get()
    client.post(
        reverse("cases:goal_progress", args=[goal.pk]),
        {"status": "in_progress", "note": "Signed up for the Tuesday class"},
    )
    goal.refresh_from_db()
    assert goal.status == "in_progress"
    assert goal.progress.get().note == "Signed up for the Tuesday class"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"domain": "education", "description": "", "target_date": "2030-01-01"}, "required"),
        ({"domain": "education", "description": "x", "target_date": "2001-01-01"}, "past"),
        ({"domain": "astrology", "description": "x", "target_date": "2030-01-01"}, "valid choice"),
        (
            {"domain": "education", "description": "d" * 301, "target_date": "2030-01-01"},
            "at most 300",
        ),
        (
            {"domain": "education", "description": "x", "target_date": "9999-12-30"},
            "A target date cannot be more than five years ahead: check the year.",
        ),
        (
            {"domain": "education", "description": "x", "target_date": IN_SIX_YEARS},
            "A target date cannot be more than five years ahead: check the year.",
        ),
    ],
)
def test_a_bad_goal_saves_nothing(client_for, carmen, case, data, message):
    response = client_for(carmen).post(reverse("cases:goal_add", args=[case.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Goal.objects.exists()


def test_note_text_is_encrypted_in_the_database(client_for, carmen, person_a):
    client_for(carmen).post(
        reverse("cases:notes", args=[person_a.pk]),
        {"note_type": "general", "written_on": TODAY().isoformat(), "text": "Mom is sick again"},
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM cases_casenote")
        [(raw,)] = cursor.fetchall()
    assert "Mom" not in raw
    assert raw.startswith("fernet:")
    assert CaseNote.objects.get().text == "Mom is sick again"


@pytest.mark.parametrize(
    "note_type, owner",
    [
        ("behavioral_health", Role.BEHAVIORAL_HEALTH_CLINICIAN),
        ("substance_use", Role.BEHAVIORAL_HEALTH_CLINICIAN),
        ("legal", Role.LEGAL_STAFF),
        ("ipv_safety", Role.IPV_STAFF),
    ],
)
def test_restricted_notes_are_only_for_the_role_that_owns_them(
    client_for, org_a, person_a, carmen, bob, note_type, owner
):
    writer = member(org_a, owner)
    client_for(writer).post(
        reverse("cases:notes", args=[person_a.pk]),
        {"note_type": note_type, "written_on": TODAY().isoformat(), "text": "RESTRICTED TEXT"},
    )
    assert CaseNote.objects.filter(note_type=note_type).exists()
    assert (
        "RESTRICTED TEXT"
        in client_for(writer).get(reverse("cases:notes", args=[person_a.pk])).content.decode()
    )
    for reader in (carmen, bob):
        page = client_for(reader).get(reverse("cases:notes", args=[person_a.pk]))
        assert "RESTRICTED TEXT" not in page.content.decode()
    refused = client_for(carmen).post(
        reverse("cases:notes", args=[person_a.pk]),
        {"note_type": note_type, "written_on": TODAY().isoformat(), "text": "sneaky"},
    )
    assert refused.status_code == 400
    assert (
        not CaseNote.objects.filter(text="sneaky").exists()
        if False
        else CaseNote.objects.count() == 1
    )


def test_a_case_page_shows_no_restricted_note(client_for, org_a, carmen, case, person_a):
    clinician = member(org_a, Role.BEHAVIORAL_HEALTH_CLINICIAN)
    client_for(clinician).post(
        reverse("cases:notes", args=[person_a.pk]),
        {"note_type": "behavioral_health", "written_on": TODAY().isoformat(), "text": "PTSD"},
    )
    page = client_for(carmen).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "PTSD" not in page


def test_reentry_plan_and_releases_due_in_60_days(client_for, carmen, case, person_a, org_a):
    client = client_for(carmen)
    release = TODAY() + datetime.timedelta(days=30)
    client.post(
        reverse("cases:reentry", args=[person_a.pk]),
        {
            "facility": "Stateville Correctional Center",
            "expected_release_on": release.isoformat(),
            "reunification_plan": "Stays with his aunt in West Englewood",
        },
    )
    plan = ReentryPlan.objects.get()
    client.post(
        reverse("cases:pre_release_contact_add", args=[plan.pk]),
        {
            "contacted_on": TODAY().isoformat(),
            "kind": "visit",
            "note": "Talked about the first week",
        },
    )
    client.post(
        reverse("cases:reentry_service_add", args=[plan.pk]),
        {
            "domain": "identity_documents",
            "description": "State ID appointment",
            "day_after_release": 2,
            "status": "arranged",
        },
    )
    later = CaseFactory(case_manager=carmen, person__organization=org_a).person
    ReentryPlan.objects.create(
        person=later,
        organization=org_a,
        facility="Cook County Jail",
        expected_release_on=TODAY() + datetime.timedelta(days=90),
    )

    releases = client.get(reverse("cases:releases"))
    assert [p.person for p in releases.context["plans"]] == [person_a]
    caseload = client.get(reverse("cases:caseload"))
    assert [p.person for p in caseload.context["releases"]] == [person_a]
    assert plan.contacts.count() == 1
    assert plan.services.get().day_after_release == 2


def test_caseload_flags_overdue_reassessments_and_goals(client_for, carmen, case, org_a):
    Assessment.objects.create(
        case=case,
        template=AssessmentTemplate.objects.get(is_current=True),
        assessed_on=TODAY() - datetime.timedelta(days=120),
    )
    Goal.objects.create(
        case=case,
        domain="housing",
        description="Lease",
        target_date=TODAY() - datetime.timedelta(days=2),
    )
    fresh = CaseFactory(case_manager=carmen, person__organization=org_a)
    Assessment.objects.create(
        case=fresh, template=AssessmentTemplate.objects.get(is_current=True), assessed_on=TODAY()
    )
    response = client_for(carmen).get(reverse("cases:caseload"))
    assert [c.pk for c in response.context["overdue_reassessments"]] == [case.pk]
    by_pk = {c.pk: c for c in response.context["cases"]}
    assert by_pk[case.pk].goal_overdue
    assert not by_pk[fresh.pk].reassessment_overdue
    # Said in words, not only by the badge's colour (WCAG 1.4.1).
    assert "Goal overdue: Lease" in response.content.decode()


def test_overdue_reassessments_are_listed_longest_overdue_first(client_for, carmen, org_a):
    template = AssessmentTemplate.objects.get(is_current=True)
    by_days_ago = {}
    for days_ago in (100, 200, 150):
        overdue = CaseFactory(case_manager=carmen, person__organization=org_a)
        Assessment.objects.create(
            case=overdue,
            template=template,
            assessed_on=TODAY() - datetime.timedelta(days=days_ago),
        )
        by_days_ago[days_ago] = overdue.pk

    response = client_for(carmen).get(reverse("cases:caseload"))

    assert [c.pk for c in response.context["overdue_reassessments"]] == [
        by_days_ago[200],
        by_days_ago[150],
        by_days_ago[100],
    ]


def test_caseload_query_count_does_not_grow(
    client_for, carmen, org_a, django_assert_max_num_queries
):
    for _ in range(12):
        CaseFactory(case_manager=carmen, person__organization=org_a)
    client = client_for(carmen)
    client.get(reverse("cases:caseload"))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("cases:caseload"))
    assert len(response.context["cases"]) == 12


def test_supervisor_sees_each_case_managers_numbers(client_for, bob, carmen, org_a, case):
    other_cm = member(org_a, Role.CASE_MANAGER, full_name="Zed Casemanager")
    CaseFactory(case_manager=other_cm, person__organization=org_a)
    CaseFactory(case_manager=other_cm, person__organization=org_a)
    response = client_for(bob).get(reverse("cases:supervisor"))
    rows = {r["name"]: r for r in response.context["rows"]}
    assert rows["Carmen Casemanager"]["caseload"] == 1
    assert rows["Zed Casemanager"]["caseload"] == 2


def _introduce(person, case_manager, introduced_by=None, **fields):
    return IntroductionFactory(
        person=person, case_manager=case_manager, introduced_by=introduced_by, **fields
    )


def test_caseload_lists_the_introductions_waiting_for_me(
    client_for, alice, carmen, org_a, person_a
):
    waiting = _introduce(person_a, carmen, alice, summary="Wants his ID back before summer")
    returned = PersonFactory(organization=org_a, legal_first_name="Tyrone")
    _introduce(returned, carmen, alice, status="returned", return_reason="Not now")
    someone_elses = PersonFactory(organization=org_a, legal_first_name="Devon")
    _introduce(someone_elses, member(org_a, Role.CASE_MANAGER), alice)

    response = client_for(carmen).get(reverse("cases:caseload"))
    page = response.content.decode()
    assert response.context["waiting"] == [waiting]
    assert "Waiting for you" in page
    assert "Jamal Washington" in page
    assert "from Alice Outreach" in page
    assert "Wants his ID back before summer" in page
    assert reverse("outreach:introduction_accept", args=[waiting.pk]) in page
    assert reverse("outreach:introduction_return", args=[waiting.pk]) in page
    assert "Tyrone" not in page
    assert "Devon" not in page


def test_another_organizations_case_manager_never_sees_the_introduction(
    client_for, alice, carmen, org_a, org_b, person_a
):
    stranger = member(org_b, Role.CASE_MANAGER, full_name="Sam Stranger")
    stranger_supervisor = member(org_b, Role.SUPERVISOR)
    mine = _introduce(person_a, carmen, alice)
    # Even one addressed to them (a case manager who moved on to another organization)
    # stays with the organization of the person.
    devon = PersonFactory(organization=org_a, legal_first_name="Devon")
    addressed = _introduce(devon, stranger, alice)
    assert client_for(carmen).get(reverse("cases:caseload")).context["waiting"] == [mine]

    client = client_for(stranger)
    response = client.get(reverse("cases:caseload"))
    assert response.context["waiting"] == []
    assert "Devon" not in response.content.decode()
    assert "Jamal" not in response.content.decode()
    for introduction in (mine, addressed):
        accept = reverse("outreach:introduction_accept", args=[introduction.pk])
        assert client.post(accept).status_code == 404
    assert not Case.objects.exists()

    rows = client_for(stranger_supervisor).get(reverse("cases:supervisor")).context["rows"]
    assert rows == []


def test_supervisor_counts_the_introductions_waiting_for_each_case_manager(
    client_for, alice, bob, carmen, org_a, org_b, person_a, person_b
):
    _introduce(person_a, carmen, alice)
    nia = member(org_a, Role.CASE_MANAGER, full_name="Nia Newcomer")
    for name in ("Devon", "Tyrone"):
        _introduce(PersonFactory(organization=org_a, legal_first_name=name), nia, alice)
    _introduce(PersonFactory(organization=org_a), nia, alice, status="accepted")
    _introduce(person_b, member(org_b, Role.CASE_MANAGER, full_name="Sam Stranger"))

    response = client_for(bob).get(reverse("cases:supervisor"))
    rows = {r["name"]: r for r in response.context["rows"]}
    assert "Introductions waiting" in response.content.decode()
    assert set(rows) == {"Carmen Casemanager", "Nia Newcomer"}
    assert rows["Carmen Casemanager"]["waiting_introductions"] == 1
    assert (rows["Nia Newcomer"]["waiting_introductions"], rows["Nia Newcomer"]["caseload"]) == (
        2,
        0,
    )


def test_an_introduction_returned_from_the_caseload_comes_back_to_it(client_for, carmen, person_a):
    introduction = _introduce(person_a, carmen)
    client = client_for(carmen)
    caseload = reverse("cases:caseload")
    response = client.post(
        reverse("outreach:introduction_return", args=[introduction.pk]),
        {"reason": "Already works with a partner's case manager", "next": caseload},
        follow=True,
    )
    introduction.refresh_from_db()
    assert introduction.status == "returned"
    assert response.redirect_chain == [(caseload, 302)]
    assert "Introduction returned to the outreach worker." in response.content.decode()
    assert response.context["waiting"] == []


def test_caseload_query_count_does_not_grow_with_introductions(
    client_for, carmen, org_a, django_assert_max_num_queries
):
    for _ in range(12):
        CaseFactory(case_manager=carmen, person__organization=org_a)
    introducer = member(org_a, Role.OUTREACH_WORKER)
    for _ in range(8):
        _introduce(PersonFactory(organization=org_a), carmen, introducer)
    client = client_for(carmen)
    client.get(reverse("cases:caseload"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cases:caseload"))
    assert len(response.context["waiting"]) == 8


def test_each_domains_latest_note_is_on_the_case_page_for_the_case_team_only(
    client_for, org_a, carmen, bob, alice, charlie, lena, case
):
    case.opened_on = TODAY() - datetime.timedelta(days=100)
    case.save(update_fields=["opened_on"])
    client = client_for(carmen)
    earlier = _ratings(2) | {"housing-note": "Sleeping on his aunt's couch"}
    earlier["assessed_on"] = (TODAY() - datetime.timedelta(days=95)).isoformat()
    client.post(reverse("cases:assessment_new", args=[case.pk]), earlier)
    client.post(
        reverse("cases:assessment_new", args=[case.pk]),
        _ratings(3) | {"employment-note": "Interview at the warehouse"},
    )

    page = client.get(reverse("cases:detail", args=[case.pk]))
    rows = {row["label"]: row for row in page.context["history"]}
    # The latest note of each domain, even from an assessment before the last.
    assert rows["Housing"]["note"] == "Sleeping on his aunt's couch"
    assert rows["Housing"]["note_on"] == TODAY() - datetime.timedelta(days=95)
    assert rows["Employment"]["note"] == "Interview at the warehouse"
    assert rows["Safety"]["note"] == ""
    for reader in (carmen, bob):
        html = client_for(reader).get(reverse("cases:detail", args=[case.pk])).content.decode()
        assert "Latest note" in html
        assert "Sleeping on his aunt&#x27;s couch" in html
        assert "Interview at the warehouse" in html
    # Encrypted like case notes, and never shown outside the case team.
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM cases_assessmentrating WHERE note != ''")
        raw = [note for (note,) in cursor.fetchall()]
    assert len(raw) == 2 and all(note.startswith("fernet:") for note in raw)
    assert client_for(alice).get(reverse("cases:detail", args=[case.pk])).status_code == 403
    for stranger in (charlie, lena):
        response = client_for(stranger).get(reverse("cases:detail", args=[case.pk]))
        assert response.status_code == 404
        assert "Interview at the warehouse" not in response.content.decode()


@pytest.mark.parametrize("concern", [True, False])
def test_the_intakes_safety_note_shows_whenever_it_has_text(client_for, carmen, case, concern):
    Intake.objects.create(
        case=case,
        intake_on=TODAY(),
        referred_by="self",
        reasons="A job",
        immediate_safety_concern=concern,
        safety_note="Avoids 63rd street at night",
    )
    page = client_for(carmen).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Avoids 63rd street at night" in page
    assert ("immediate concern" in page) is concern


def test_editing_the_intake_of_an_assessed_case_goes_back_to_the_case(client_for, carmen, case):
    client = client_for(carmen)
    intake = {"intake_on": TODAY().isoformat(), "referred_by": "self", "reasons": "A job"}
    first = client.post(reverse("cases:intake", args=[case.pk]), intake)
    assert first["Location"] == reverse("cases:assessment_new", args=[case.pk])
    # Edited before any assessment: the assessment is still to do.
    again = client.post(reverse("cases:intake", args=[case.pk]), intake)
    assert again["Location"] == reverse("cases:assessment_new", args=[case.pk])
    client.post(reverse("cases:assessment_new", args=[case.pk]), _ratings())

    form = client.get(reverse("cases:intake", args=[case.pk])).content.decode()
    assert "Save the intake" in form
    assert "Save and go to the assessment" not in form
    edited = client.post(
        reverse("cases:intake", args=[case.pk]), intake | {"reasons": "A job and his ID"}
    )
    assert edited["Location"] == reverse("cases:detail", args=[case.pk])
    assert Intake.objects.get().reasons == "A job and his ID"
    assert Assessment.objects.count() == 1


def test_saving_a_goals_progress_with_nothing_changed_adds_no_line(client_for, carmen, case):
    goal = Goal.objects.create(
        case=case,
        domain="education",
        description="Pass the GED",
        target_date=TODAY() + datetime.timedelta(days=30),
    )
    client = client_for(carmen)
    url = reverse("cases:goal_progress", args=[goal.pk])
    for note in ("", "   "):
        response = client.post(url, {"status": "not_started", "note": note})
        assert response.status_code == 400
        assert (
            "Nothing to save: change the status or write a progress note."
            in response.content.decode()
        )
    assert not goal.progress.exists()
    # A note alone, or a status alone, is a line of the history.
    assert (
        client.post(url, {"status": "not_started", "note": "Called the school"}).status_code == 302
    )
    assert client.post(url, {"status": "in_progress", "note": ""}).status_code == 302
    assert set(goal.progress.values_list("status", "note")) == {
        ("not_started", "Called the school"),
        ("in_progress", ""),
    }
