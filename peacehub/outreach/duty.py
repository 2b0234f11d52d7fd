"""Who is on duty now, from each worker's weekly shifts."""

import datetime

from django.utils import timezone

from peacehub.accounts.access import role_has_permission
from peacehub.accounts.models import Membership
from peacehub.accounts.roles import Permission
from peacehub.outreach.models import DutyShift


def shift_covers(shift: DutyShift, moment: datetime.datetime) -> bool:
    """True when ``moment`` (local time) falls in the shift; a shift whose end is before
    its start runs past midnight into the next day."""
    weekday, time = moment.weekday(), moment.time()
    if shift.starts_at < shift.ends_at:
        return shift.weekday == weekday and shift.starts_at <= time < shift.ends_at
    if shift.weekday == weekday and time >= shift.starts_at:
        return True
    return (shift.weekday + 1) % 7 == weekday and time < shift.ends_at


_WEEK = datetime.timedelta(days=7)


def _from_monday(weekday: int, time: datetime.time) -> datetime.timedelta:
    return datetime.timedelta(
        days=weekday,
        hours=time.hour,
        minutes=time.minute,
        seconds=time.second,
        microseconds=time.microsecond,
    )


def _span(shift: DutyShift) -> tuple[datetime.timedelta, datetime.timedelta]:
    """When the shift starts and ends, from Monday midnight; as in shift_covers(), an
    end before the start is on the next day (Sunday's runs into Monday)."""
    start = _from_monday(shift.weekday, shift.starts_at)
    end = _from_monday(shift.weekday + (shift.ends_at < shift.starts_at), shift.ends_at)
    return start, end


def shifts_overlap(a: DutyShift, b: DutyShift) -> bool:
    """True when some moment falls in both shifts. One that ends as the other starts
    does not overlap it."""
    a_start, a_end = _span(a)
    b_start, b_end = _span(b)
    # The week goes round: Sunday 22:00–02:00 meets Monday 01:00–03:00.
    return any(
        a_start < b_end + weeks * _WEEK and b_start + weeks * _WEEK < a_end for weeks in (-1, 0, 1)
    )


def on_duty_responders(organization_ids, moment: datetime.datetime | None = None):
    """Active users of these organizations who respond to incidents and whose shift
    covers ``moment`` (default: now)."""
    moment = timezone.localtime(moment or timezone.now())
    memberships = (
        Membership.objects.filter(organization_id__in=organization_ids, user__is_active=True)
        .select_related("user")
        .prefetch_related("duty_shifts")
    )
    return [
        m.user
        for m in memberships
        if role_has_permission(m.role, Permission.RESPOND_TO_INCIDENTS)
        and any(shift_covers(shift, moment) for shift in m.duty_shifts.all())
    ]
