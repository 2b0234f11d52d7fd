import datetime
import json

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.urls import reverse
from django.utils import timezone

from peacehub.accounts.middleware import SESSION_LAST_SEEN, SESSION_STARTED
from peacehub.accounts.models import LoginFailure, User

pytestmark = pytest.mark.django_db

SIGN_IN = "/accounts/sign-in/"
FAILED = "Sign-in failed. Check your email and password."


def _attempt(client, email, password, ip="198.51.100.1"):
    return client.post(SIGN_IN, {"email": email, "password": password}, REMOTE_ADDR=ip)


def test_sign_in_lands_on_the_dashboard_and_remembers_the_language(client, alice, password):
    alice.preferred_language = "es"
    alice.save(update_fields=["preferred_language"])
    response = _attempt(client, "ALICE@example.org", password)
    assert response.status_code == 302
    assert response["Location"] == reverse("site:dashboard")
    assert response.cookies["django_language"].value == "es"


def test_next_is_followed_only_within_the_site(client, alice, password):
    response = client.post(
        SIGN_IN + "?next=https://evil.example/",
        {"email": alice.email, "password": password, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("site:dashboard")


def test_unknown_user_and_wrong_password_get_the_same_answer(client, alice):
    unknown = _attempt(client, "nobody@example.org", "whatever-password")
    wrong = _attempt(client, alice.email, "wrong-password")
    assert unknown.status_code == wrong.status_code == 200
    assert FAILED in unknown.content.decode()
    assert FAILED in wrong.content.decode()

    # Apart from the echoed email and the CSRF token, the pages are the same.
    def strip(r, email):
        return r.content.decode().replace(email, "").split("csrfmiddlewaretoken")[0]

    assert strip(unknown, "nobody@example.org") == strip(wrong, alice.email)


def test_five_failures_lock_the_account_even_with_the_right_password(client, alice, password):
    for _ in range(5):
        _attempt(client, alice.email, "wrong-password")
    response = _attempt(client, alice.email, password)
    assert response.status_code == 200
    assert FAILED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_locked_unknown_user_looks_like_a_locked_real_one(client, alice):
    for email in ("nobody@example.org", alice.email):
        for _ in range(6):
            response = _attempt(client, email, "wrong-password")
        assert FAILED in response.content.decode()


def test_many_failures_from_one_address_lock_that_address(client, alice, password, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 8
    for n in range(8):
        _attempt(client, f"guess{n}@example.org", "wrong", ip="203.0.113.5")
    blocked = _attempt(client, alice.email, password, ip="203.0.113.5")
    elsewhere = _attempt(client, alice.email, password, ip="203.0.113.6")
    assert FAILED in blocked.content.decode()
    assert elsewhere.status_code == 302


def test_the_lock_lifts_after_the_window(client, alice, password):
    for _ in range(5):
        _attempt(client, alice.email, "wrong-password")
    LoginFailure.objects.update(occurred_at=timezone.now() - datetime.timedelta(minutes=16))
    assert _attempt(client, alice.email, password).status_code == 302


def test_deactivated_user_gets_the_same_answer(client, alice, password):
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert FAILED in _attempt(client, alice.email, password).content.decode()


def test_production_hashes_passwords_with_argon2(settings, db):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    from django.conf import settings as live

    user = User.objects.create_user(email="new@example.org", password="a long passphrase")
    assert identify_hasher(user.password).algorithm == "argon2"
    assert live.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_project_settings_put_argon2_first():
    from peacehub import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0] == (
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    )


def _age_session(client, **seconds):
    session = client.session
    now = timezone.now().timestamp()
    for key, ago in seconds.items():
        session[{"started": SESSION_STARTED, "last_seen": SESSION_LAST_SEEN}[key]] = now - ago
    session.save()


def test_session_ends_after_15_idle_minutes(client, alice, password):
    _attempt(client, alice.email, password)
    _age_session(client, last_seen=16 * 60)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert client.get(reverse("accounts:profile")).status_code == 302


@pytest.mark.parametrize(
    ("current_page", "next_page"),
    [
        ("http://testserver/people/?q=Jamal", "%2Fpeople%2F"),
        ("https://elsewhere.example/people/", "%2Fdashboard%2F"),
    ],
)
def test_an_idle_page_polling_for_alerts_goes_to_sign_in(
    client, alice, password, current_page, next_page
):
    """An unattended phone: the alerts badge polls, the session ends, and the page is
    told to go to sign-in (the whole page, not the badge), so the screen stops showing
    records. peacehub.js does it; tests/browser/test_session_timeout.py watches it."""
    _attempt(client, alice.email, password)
    _age_session(client, last_seen=16 * 60)

    response = client.get(
        reverse("notifications:feed"),
        {"fragment": "badge", "poll": "1"},
        headers={"HX-Request": "true", "HX-Current-URL": current_page},
    )

    assert response.status_code == 204
    assert json.loads(response["HX-Trigger"]) == {
        "peacehub:session-ended": {"signIn": f"{SIGN_IN}?next={next_page}"}
    }
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_activity_keeps_the_session(client, alice, password):
    _attempt(client, alice.email, password)
    _age_session(client, last_seen=14 * 60)
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_session_ends_after_12_hours_whatever_the_activity(client, alice, password):
    _attempt(client, alice.email, password)
    _age_session(client, started=12 * 3600 + 60, last_seen=10)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_sign_out_ends_the_session(client, alice, password):
    _attempt(client, alice.email, password)
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_sign_out_needs_a_post(client, alice):
    client.force_login(alice)
    assert client.get(reverse("accounts:logout")).status_code == 405
