"""The alerts feed and its badge: every unread alert counted, each one read once opened."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from peacehub.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _alerts(user, count, start=None):
    start = start or timezone.now() - datetime.timedelta(hours=1)
    return Notification.objects.bulk_create(
        Notification(
            recipient=user,
            message=f"Threat in Englewood at 22:{n:02d} — open PeaceHub",
            url=f"/outreach/incidents/{n}/",
            created_at=start + datetime.timedelta(minutes=n),
        )
        for n in range(count)
    )


def test_the_badge_counts_every_unread_alert_and_the_feed_reaches_them_all(client_for, alice):
    _alerts(alice, 25)
    client = client_for(alice)
    badge = client.get(reverse("notifications:feed"), {"fragment": "badge", "poll": "1"})
    assert '<span class="count">25</span>' in badge.content.decode()

    first = client.get(reverse("notifications:feed")).content.decode()
    assert first.count("Threat in Englewood") == 20
    assert "22:24" in first and "22:05" in first and "22:04" not in first
    assert "page=2" in first
    second = client.get(reverse("notifications:feed"), {"page": "2"}).content.decode()
    assert second.count("Threat in Englewood") == 5
    assert "22:00" in second


def test_opening_an_alert_reads_it_and_goes_where_it_points(client_for, alice, charlie):
    [alert] = _alerts(alice, 1)
    [theirs] = _alerts(charlie, 1)
    client = client_for(alice)
    response = client.get(reverse("notifications:open", args=[alert.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/outreach/incidents/0/"
    alert.refresh_from_db()
    assert alert.read_at is not None

    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_an_alert_pointing_off_the_site_leads_back_to_the_feed(client_for, alice):
    alert = Notification.objects.create(recipient=alice, message="x", url="https://evil.example/")
    response = client_for(alice).get(reverse("notifications:open", args=[alert.pk]))
    assert response["Location"] == reverse("notifications:feed")


def test_mark_all_as_read_leaves_an_alert_that_came_in_after_the_page_was_shown(client_for, alice):
    _alerts(alice, 3)
    client = client_for(alice)
    page = client.get(reverse("notifications:feed")).content.decode()
    until = re.search(r'name="until" value="([^"]+)"', page).group(1)
    assert "Mark all 3 as read" in page
    [late] = _alerts(alice, 1, start=timezone.now() + datetime.timedelta(seconds=1))

    client.post(reverse("notifications:mark_read"), {"until": until})

    assert list(Notification.objects.filter(read_at__isnull=True)) == [late]


def test_an_alert_reads_in_the_language_of_the_page_not_the_one_it_was_sent_in(
    client_for, alice, settings
):
    """Sent while the worker's preferred language was English, read after switching to
    Spanish: the feed speaks Spanish; the e-mail went in English."""
    from peacehub.notifications.services import notify

    [alert] = notify(
        recipients=[alice],
        message=lambda: _("A participant was introduced to you — open PeaceHub"),
        url="/outreach/introductions/",
        absolute_url="http://testserver/outreach/introductions/",
    )
    assert alert.message == "A participant was introduced to you — open PeaceHub"
    client = client_for(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = client.get(reverse("notifications:feed")).content.decode()
    spanish = alert.texts["es"]
    assert spanish != alert.message
    assert spanish in page and alert.message not in page
