"""Alert e-mails go out after the response, through one SMTP connection per alert."""

import socket
import threading
from urllib.parse import urlencode

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from peacehub.accounts.roles import Role
from peacehub.accounts.tests.factories import member
from peacehub.notifications.models import Notification
from peacehub.notifications.services import notifications_email, notify
from peacehub.outreach.tests.factories import always_on_duty, area

pytestmark = pytest.mark.django_db


def _alert(users):
    notifications = notify(
        recipients=users,
        message=lambda: "Non-fatal shooting in Englewood at 22:40 — open PeaceHub",
        url="/outreach/incidents/x/",
        absolute_url="http://peacehub.test/outreach/incidents/x/",
    )
    return [n.pk for n in notifications]


@pytest.fixture
def on_duty(org_a):
    return [member(org_a, Role.OUTREACH_WORKER, f"worker{i}@example.org") for i in range(4)]


def test_every_on_duty_worker_gets_the_mail(on_duty, smtp_inbox):
    notifications_email(ids=_alert(on_duty), absolute_url="http://peacehub.test/x/")

    assert sorted(m["To"] for m in smtp_inbox.messages) == sorted(u.email for u in on_duty)
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 4


def test_a_mail_server_that_never_answers_is_waited_for_once(on_duty, settings):
    """A server that accepts the connection and then says nothing costs one timeout,
    not one per on-duty worker; each alert records the failure and stays in the feed."""
    silent = socket.create_server(("127.0.0.1", 0))
    accepted = []
    held = []

    def accept():
        silent.settimeout(5)
        try:
            while True:
                connection, _ = silent.accept()
                accepted.append(connection)
                held.append(connection)
        except OSError:
            pass

    listener = threading.Thread(target=accept, daemon=True)
    listener.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", silent.getsockname()[1]
    settings.EMAIL_TIMEOUT = 0.5
    try:
        notifications_email(ids=_alert(on_duty), absolute_url="http://peacehub.test/x/")
    finally:
        silent.close()
        for connection in held:
            connection.close()

    assert len(accepted) == 1
    assert Notification.objects.filter(email_error="").count() == 0
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_reporter_gets_the_response_before_the_mail_goes_out(
    client_for, alice, bob, org_a, smtp_inbox
):
    """Through the WSGI handler, as gunicorn runs it: the response to the report is
    whole while no mail has been sent; the mail goes out when the server closes it."""
    org_a.community_areas.add(area(68))
    always_on_duty(bob, org_a)  # alerted of Alice's report
    client = client_for(alice)
    client.get(reverse("outreach:incident_new"))
    cookies = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
    body = urlencode(
        {
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
            "kind": "nonfatal_shooting",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "community_area": area(68).pk,
            "source": "hospital",
        }
    ).encode()
    environ = (
        RequestFactory()
        .post(
            reverse("outreach:incident_new"),
            data=body,
            content_type="application/x-www-form-urlencoded",
            HTTP_COOKIE=cookies,
        )
        .environ
    )
    statuses = []

    response = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    b"".join(response)

    assert statuses == ["302 Found"]
    assert bob.notifications.count() == 1  # in the feed at once
    assert smtp_inbox.messages == []
    response.close()
    assert [m["To"] for m in smtp_inbox.messages] == ["bob@example.org"]
