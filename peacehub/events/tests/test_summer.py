"""The summer strategy check: three event nights a week, on different dates, for the
ten summer weeks; each host sees its own row, the convener every row."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from peacehub.accounts.roles import Role
from peacehub.accounts.tests.factories import member
from peacehub.events.models import Summer
from peacehub.events.summer import (
    WeekStatus,
    default_first_monday,
    latest_summer_year,
    memorial_day,
    summer_check,
    summer_weeks,
)
from peacehub.events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db

YEAR = 2024  # Memorial Day was 27 May 2024: week 1 is 20 to 26 May.
AFTER_THE_SUMMER = datetime.date(2024, 11, 15)


def night(organization, day: datetime.date, hour=18, **fields):
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return EventFactory(
        hosts=[organization], starts_at=start, ends_at=start + datetime.timedelta(hours=3), **fields
    )


def week(number: int) -> datetime.date:
    return summer_weeks(YEAR)[number - 1]


def test_the_default_summer_starts_the_monday_a_week_before_memorial_day():
    assert memorial_day(2024) == datetime.date(2024, 5, 27)
    assert memorial_day(2025) == datetime.date(2025, 5, 26)
    assert default_first_monday(2025) == datetime.date(2025, 5, 19)
    mondays = summer_weeks(2025)
    assert len(mondays) == 10
    assert mondays[-1] == datetime.date(2025, 7, 21)
    assert all(m.weekday() == 0 for m in mondays)
    assert latest_summer_year(datetime.date(2025, 5, 18)) == 2024
    assert latest_summer_year(datetime.date(2025, 5, 19)) == 2025


def test_a_summer_record_moves_the_first_week():
    Summer.objects.create(year=2025, first_monday=datetime.date(2025, 6, 2))
    assert summer_weeks(2025)[0] == datetime.date(2025, 6, 2)
    assert summer_weeks(2024)[0] == datetime.date(2024, 5, 20)


def test_three_nights_on_different_dates_count_and_cancelled_nights_do_not(org_a, org_b):
    # Week 1: Thursday to Saturday, three nights.
    for offset in (3, 4, 5):
        night(org_a, week(1) + datetime.timedelta(days=offset))
    # Week 2: three events, but two on the same Friday, and one cancelled.
    night(org_a, week(2) + datetime.timedelta(days=4), hour=14)
    night(org_a, week(2) + datetime.timedelta(days=4), hour=19)
    night(org_a, week(2) + datetime.timedelta(days=5))
    night(
        org_a,
        week(2) + datetime.timedelta(days=6),
        cancelled_at=timezone.now(),
        cancellation_notice="Heat advisory",
    )
    # Staff-only nights count: a night for participants is still a night held.
    for offset in (3, 4, 5, 6):
        night(org_a, week(3) + datetime.timedelta(days=offset), is_public=False)
    # The Sunday after week 10 is outside the summer.
    night(org_a, week(10) + datetime.timedelta(days=7))

    rows = summer_check(year=YEAR, organizations=[org_a, org_b], today=AFTER_THE_SUMMER)

    ours, theirs = rows
    assert ours.organization == org_a
    assert [w.nights for w in ours.weeks] == [3, 2, 4, 0, 0, 0, 0, 0, 0, 0]
    assert ours.weeks[0].status == WeekStatus.MET
    assert ours.short_weeks == [2, 4, 5, 6, 7, 8, 9, 10]
    assert ours.weeks_met == 2
    assert theirs.short_weeks == list(range(1, 11))


def test_weeks_under_way_or_to_come_never_fall_short(org_a):
    monday = week(3)
    night(org_a, monday + datetime.timedelta(days=3))
    rows = summer_check(year=YEAR, organizations=[org_a], today=monday + datetime.timedelta(days=4))
    statuses = [w.status for w in rows[0].weeks]
    assert statuses[:2] == [WeekStatus.SHORT, WeekStatus.SHORT]
    assert statuses[2] == WeekStatus.UNDER_WAY
    assert set(statuses[3:]) == {WeekStatus.TO_COME}


def test_the_convener_sees_every_partner_and_a_host_its_own_row(
    client, org_a, org_b, bob, dana, django_assert_max_num_queries
):
    for offset in (3, 4, 5):
        night(org_a, week(1) + datetime.timedelta(days=offset))
    client.force_login(dana)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("events:summer"), {"year": YEAR})
    assert response.status_code == 200
    rows = {row.organization.name: row for row in response.context["rows"]}
    assert set(rows) == {org_a.name, org_b.name}
    assert rows[org_a.name].weeks[0].nights == 3

    client.force_login(bob)
    response = client.get(reverse("events:summer"), {"year": YEAR})
    assert [row.organization for row in response.context["rows"]] == [org_a]
    assert org_b.name not in response.content.decode()

    supervisor_b = member(org_b, Role.SUPERVISOR)
    client.force_login(supervisor_b)
    response = client.get(reverse("events:summer"), {"year": YEAR})
    assert [row.organization for row in response.context["rows"]] == [org_b]
    assert org_a.name not in response.content.decode()


@pytest.mark.parametrize(
    "role, allowed",
    [
        (Role.SUPERVISOR, True),
        (Role.ORGANIZATION_ADMIN, True),
        (Role.OUTREACH_WORKER, False),
        (Role.CASE_MANAGER, False),
        (Role.EVALUATOR, False),
    ],
)
def test_who_sees_the_summer_check(client, org_a, role, allowed):
    client.force_login(member(org_a, role))
    response = client.get(reverse("events:summer"))
    assert response.status_code == (200 if allowed else 403)


def test_a_year_that_is_not_a_number_shows_the_latest_summer(client, bob):
    client.force_login(bob)
    response = client.get(reverse("events:summer"), {"year": "next"})
    assert response.status_code == 200
    assert response.context["year"] == latest_summer_year(timezone.localdate())
