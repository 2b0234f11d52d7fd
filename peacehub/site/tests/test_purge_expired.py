"""manage.py purge_expired: what is no longer needed goes, and nothing else does."""

import datetime
from io import StringIO

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from peacehub.accounts.models import LoginFailure
from peacehub.notifications.models import Notification
from peacehub.outreach.models import Contact
from peacehub.outreach.tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def _purge() -> str:
    out = StringIO()
    call_command("purge_expired", stdout=out)
    return out.getvalue()


def _alert(user, days_ago, **fields):
    return Notification.objects.create(
        recipient=user,
        message="Threat in Englewood at 22:40 — open PeaceHub",
        created_at=timezone.now() - datetime.timedelta(days=days_ago),
        **fields,
    )


def test_alerts_past_their_retention_go_read_or_not_and_recent_ones_stay(alice, bob):
    old_unread = _alert(alice, 91)
    old_read = _alert(bob, 200, read_at=timezone.now() - datetime.timedelta(days=199))
    recent = _alert(alice, 89)

    output = _purge()

    assert not Notification.objects.filter(pk__in=[old_unread.pk, old_read.pk]).exists()
    assert Notification.objects.filter(pk=recent.pk).exists()
    assert "Purged 2 alerts older than 90 days" in output


def test_expired_sessions_go_and_open_ones_stay():
    expired, open_ = SessionStore(), SessionStore()
    expired["peacehub_unsent_form"] = ["kept for a sign-in that never came"]
    expired.set_expiry(timezone.now() - datetime.timedelta(minutes=1))
    expired.save()
    open_.save()

    output = _purge()

    assert list(Session.objects.values_list("session_key", flat=True)) == [open_.session_key]
    assert "1 expired sessions" in output


def test_sign_in_failures_go_after_the_lock_out_window():
    LoginFailure.objects.create(username="a@example.org", ip_address="10.0.0.1")
    old = LoginFailure.objects.create(username="b@example.org", ip_address="10.0.0.2")
    LoginFailure.objects.filter(pk=old.pk).update(
        occurred_at=timezone.now() - datetime.timedelta(hours=1)
    )

    output = _purge()

    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["a@example.org"]
    assert "1 old sign-in failures" in output


def test_records_of_people_are_kept_however_old(alice, person_a):
    contact = ContactFactory(
        worker=alice,
        person=person_a,
        organization=person_a.organization,
        occurred_at=timezone.now() - datetime.timedelta(days=3 * 365),
    )
    _purge()
    assert Contact.objects.filter(pk=contact.pk).exists()
