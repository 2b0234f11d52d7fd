import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from peacehub.people.eligibility import Criterion
from peacehub.people.models import EligibilityCheck, Person

pytestmark = pytest.mark.django_db


def _answers(**rows):
    data = {}
    for criterion in Criterion.values:
        data[f"{criterion}-answer"] = ""
        data[f"{criterion}-checked_on"] = ""
    for criterion, (answer, day, note) in rows.items():
        data[f"{criterion}-answer"] = answer
        data[f"{criterion}-checked_on"] = day
        data[f"{criterion}-note"] = note
    return data


def test_staff_tick_criteria_with_date_and_note(client_for, alice, person_a):
    today = timezone.localdate().isoformat()
    response = client_for(alice).post(
        reverse("people:eligibility", args=[person_a.pk]),
        _answers(
            recent_gunshot_victim=("yes", today, "Hospital program referral"),
            age_band=("yes", today, "Date of birth"),
            recently_released=("no", today, ""),
        ),
    )
    checks = {c.criterion: c for c in EligibilityCheck.objects.filter(person=person_a)}
    assert response.status_code == 302
    assert set(checks) == {"recent_gunshot_victim", "age_band", "recently_released"}
    assert checks["recent_gunshot_victim"].met is True
    assert checks["recent_gunshot_victim"].note == "Hospital program referral"
    assert checks["recently_released"].met is False
    assert checks["age_band"].recorded_by == alice


def test_an_entry_can_be_cleared_at_the_persons_request(client_for, alice, person_a):
    client = client_for(alice)
    url = reverse("people:eligibility", args=[person_a.pk])
    today = timezone.localdate().isoformat()
    client.post(url, _answers(active_conflict=("yes", today, "Told us himself")))

    client.post(url, _answers())

    assert not EligibilityCheck.objects.filter(person=person_a).exists()


@pytest.mark.parametrize(
    "row, message",
    [
        (("yes", "2999-01-01", ""), b"cannot be in the future"),
        (("yes", "", ""), b"Give the date this was checked"),
        (("yes", "not a date", ""), b"Enter a valid date"),
        (("yes", "2024-01-01", "z" * 301), b"at most 300 characters"),
        (("maybe", "2024-01-01", ""), b"Select a valid choice"),
    ],
)
def test_bad_checklist_is_refused(client_for, alice, person_a, row, message):
    response = client_for(alice).post(
        reverse("people:eligibility", args=[person_a.pk]), _answers(active_conflict=row)
    )
    assert response.status_code == 400
    assert message in response.content
    assert not EligibilityCheck.objects.exists()


def test_printable_sheet_lists_every_criterion_and_the_rule(client_for, alice, person_a):
    today = timezone.localdate()
    EligibilityCheck.objects.create(
        person=person_a,
        criterion="active_conflict",
        met=True,
        checked_on=today,
        note="Told us himself",
        contested_note="It is over now",
    )
    response = client_for(alice).get(reverse("people:eligibility_print", args=[person_a.pk]))
    content = response.content.decode()
    for criterion in Criterion:
        assert escape(str(criterion.label)) in content
    assert "There is no score" in content
    assert "It is over now" in content
    assert "data-print" in content


def test_no_risk_score_or_affiliation_field_exists_anywhere():
    """Design rule 6: no gang or group affiliation on a person, no risk score."""
    from django.apps import apps

    forbidden = ("gang", "affiliation", "risk_score", "riskscore", "set_", "clique", "crew")
    offenders = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if any(word in field.name.lower() for word in forbidden)
    ]
    assert offenders == []
    assert "group" not in {f.name for f in Person._meta.get_fields()}
