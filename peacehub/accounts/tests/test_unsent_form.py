"""A form posted after the session ran out is not lost: after signing in again, the same
user finds it filled in on the page it was on (accounts/unsent.py)."""

import json

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peacehub.accounts.middleware import SESSION_LAST_SEEN
from peacehub.accounts.unsent import SESSION_KEY
from peacehub.encryption import decrypt
from peacehub.outreach.models import Contact

pytestmark = pytest.mark.django_db

SIGN_IN = "/accounts/sign-in/"
NOTE = "Talked him down outside the corner store; family worried about Friday"


def _sign_in(client, user, password, next_page=""):
    return client.post(
        f"{SIGN_IN}?next={next_page}" if next_page else SIGN_IN,
        {"email": user.email, "password": password, "next": next_page},
    )


def _go_idle(client, minutes=16):
    session = client.session
    session[SESSION_LAST_SEEN] = timezone.now().timestamp() - minutes * 60
    session.save()


def _contact_form_address(person):
    return f"{reverse('outreach:contact_new')}?person={person.pk}"


def _post_contact_too_late(client, person):
    data = {
        "person": str(person.pk),
        "contact_type": "hospital",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "community_area": str(person.community_area_id),
        "topics": ["safety", "family"],
        "note": NOTE,
        "csrfmiddlewaretoken": "ignored-by-the-test-client",
    }
    return client.post(
        reverse("outreach:contact_new"),
        data,
        HTTP_REFERER=f"http://testserver{_contact_form_address(person)}",
    )


@pytest.fixture
def timed_out_post(client, alice, password, person_a):
    """Alice signed in, opened the quick log, was away 16 minutes, then pressed Save."""
    _sign_in(client, alice, password)
    client.get(_contact_form_address(person_a))
    _go_idle(client)
    return _post_contact_too_late(client, person_a)


def test_the_post_is_not_saved_and_sign_in_leads_back_to_the_form(client, timed_out_post):
    assert timed_out_post.status_code == 302
    assert timed_out_post["Location"] == f"{SIGN_IN}?next=%2Foutreach%2Fcontacts%2Fnew%2F"
    assert not Contact.objects.exists()


def test_after_signing_in_the_form_comes_back_filled_in(client, timed_out_post, alice, password):
    response = _sign_in(client, alice, password, next_page="/outreach/contacts/new/")
    assert response["Location"] == "/outreach/contacts/new/"

    page = client.get("/outreach/contacts/new/")

    kept = page.context["unsent_form"]
    assert kept["action"] == reverse("outreach:contact_new")
    assert kept["fields"]["note"] == [NOTE]
    assert kept["fields"]["contact_type"] == ["hospital"]
    assert kept["fields"]["topics"] == ["safety", "family"]
    assert "csrfmiddlewaretoken" not in kept["fields"]
    html = page.content.decode()
    assert 'id="unsent-form"' in html
    assert "what you entered was not saved" in html
    # Shown once: the next view of the page is an empty form again.
    assert NOTE not in client.get("/outreach/contacts/new/").content.decode()


def test_the_kept_text_is_not_in_the_database_in_clear(timed_out_post):
    (row,) = Session.objects.all()
    assert NOTE not in row.session_data
    decoded = row.get_decoded()
    assert NOTE not in json.dumps(decoded)
    (kept,) = decoded[SESSION_KEY]
    assert kept["form"].startswith("fernet:")


def test_someone_else_signing_in_on_the_same_phone_never_sees_it(
    client, timed_out_post, bob, alice, password
):
    _sign_in(client, bob, password, next_page="/outreach/contacts/new/")
    assert NOTE not in client.get("/outreach/contacts/new/").content.decode()

    # Forgotten at Bob's first page: Alice signing in afterwards finds nothing either.
    client.post(reverse("accounts:logout"))
    _sign_in(client, alice, password, next_page="/outreach/contacts/new/")
    page = client.get("/outreach/contacts/new/")
    assert page.context["unsent_form"] is None


def test_it_waits_for_its_page_if_another_is_opened_first(client, timed_out_post, alice, password):
    _sign_in(client, alice, password)
    client.get(reverse("accounts:profile"))
    page = client.get("/outreach/contacts/new/")
    assert page.context["unsent_form"]["fields"]["note"] == [NOTE]
    assert client.get("/outreach/contacts/new/").context["unsent_form"] is None


def test_a_page_polling_for_news_does_not_use_it_up(client, timed_out_post, alice, password):
    _sign_in(client, alice, password, next_page="/outreach/contacts/new/")
    client.get(reverse("notifications:feed"), {"poll": "1"})
    page = client.get("/outreach/contacts/new/")
    assert page.context["unsent_form"]["fields"]["note"] == [NOTE]


def test_a_post_forged_from_another_site_keeps_nothing(alice, password, person_a):
    client = Client(enforce_csrf_checks=True)
    client.get(SIGN_IN)
    _sign_in(client, alice, password)  # no token: refused
    client.force_login(alice)
    client.get(_contact_form_address(person_a))
    _go_idle(client)

    response = _post_contact_too_late(client, person_a)

    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    assert not Contact.objects.exists()


def test_a_password_is_never_kept(client, alice, password):
    _sign_in(client, alice, password)
    _go_idle(client)
    client.post(
        reverse("accounts:profile"),
        {
            "form": "password",
            "old_password": password,
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )
    (kept,) = client.session[SESSION_KEY]
    kept = json.loads(decrypt(kept["form"]))
    assert kept["fields"] == {"form": ["password"]}


def test_the_api_keeps_nothing(client, alice, password):
    _sign_in(client, alice, password)
    _go_idle(client)
    client.post("/api/v1/contacts", {"note": NOTE}, content_type="application/json")
    assert SESSION_KEY not in client.session


def _poll_ends_the_session(client, page):
    response = client.get(
        reverse("notifications:feed"),
        {"fragment": "badge", "poll": "1"},
        headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{page}"},
    )
    assert response.status_code == 204
    return response


@pytest.fixture
def ended_while_typing(client, alice, password, person_a):
    """Alice was writing a contact when she was called away; the alerts badge polled
    16 minutes later and her session ended. The page is signed out; what she typed is
    still in the form, in her browser."""
    _sign_in(client, alice, password)
    client.get(_contact_form_address(person_a))
    _go_idle(client)
    _poll_ends_the_session(client, _contact_form_address(person_a))


@pytest.mark.parametrize("sent_by_the_page", [True, False])
def test_a_form_left_unsaved_as_the_session_ended_is_kept(
    client, ended_while_typing, alice, password, person_a, sent_by_the_page
):
    """peacehub.js posts the unsaved form as the session ends; a Save pressed later in
    another tab of the same browser is kept the same way."""
    data = {
        "person": str(person_a.pk),
        "contact_type": "hospital",
        "note": NOTE,
        **({"peacehub_session_ended": "1"} if sent_by_the_page else {}),
    }
    response = client.post(
        reverse("outreach:contact_new"),
        data,
        HTTP_REFERER=f"http://testserver{_contact_form_address(person_a)}",
    )

    assert response["Location"] == f"{SIGN_IN}?next=%2Foutreach%2Fcontacts%2Fnew%2F"
    assert not Contact.objects.exists()
    _sign_in(client, alice, password, next_page="/outreach/contacts/new/")
    kept = client.get("/outreach/contacts/new/").context["unsent_form"]
    assert kept["fields"] == {
        "person": [str(person_a.pk)],
        "contact_type": ["hospital"],
        "note": [NOTE],
    }


def test_signing_in_after_the_session_ended_works(client, ended_while_typing, alice, password):
    response = _sign_in(client, alice, password, next_page="/outreach/")
    assert response["Location"] == "/outreach/"
    assert client.get("/outreach/").status_code == 200


def test_what_the_page_sends_as_the_session_ends_never_reaches_a_public_form(
    client, ended_while_typing, alice, password
):
    client.post(
        SIGN_IN, {"email": alice.email, "password": password, "peacehub_session_ended": "1"}
    )
    assert client.get(reverse("accounts:profile")).status_code == 302  # still signed out


def test_two_tabs_left_unsaved_each_find_their_form(
    client, ended_while_typing, alice, password, person_a
):
    """A contact in one tab and an incident report in another, both unsaved when the
    session ended: each page gets its own form back."""
    for page, data in [
        (reverse("outreach:contact_new"), {"note": NOTE}),
        (reverse("outreach:incident_new"), {"kind": "threat", "block": "6300 block of S Halsted"}),
    ]:
        client.post(
            page, {**data, "peacehub_session_ended": "1"}, HTTP_REFERER=f"http://testserver{page}"
        )

    _sign_in(client, alice, password)

    incident = client.get(reverse("outreach:incident_new")).context["unsent_form"]
    contact = client.get(reverse("outreach:contact_new")).context["unsent_form"]
    assert incident["fields"] == {"kind": ["threat"], "block": ["6300 block of S Halsted"]}
    assert contact["fields"] == {"note": [NOTE]}


def test_a_signed_out_tab_polling_is_told_to_go_to_sign_in(client, ended_while_typing):
    """The first tab's poll ended the session; the second tab's poll comes signed out.
    It gets no sign-in page to show as its badge: the page is sent there whole."""
    response = client.get(
        reverse("notifications:feed"),
        {"fragment": "badge", "poll": "1"},
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/people/"},
    )
    assert response.status_code == 204
    assert json.loads(response["HX-Trigger"]) == {
        "peacehub:session-ended": {"signIn": f"{SIGN_IN}?next=%2Fpeople%2F"}
    }
    # A signed-out request for a whole page is still sent to sign in as before.
    assert client.get("/people/")["Location"] == f"{SIGN_IN}?next=/people/"


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "This form was not sent"), ("es", "Este formulario no se envió")],
)
def test_a_form_that_fails_its_security_check_says_what_to_do(alice, person_a, language, title):
    """A tab left open from before signing in again posts a stale token: the page says
    in the user's language that nothing was saved and how not to lose the text."""
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(alice)

    response = client.post(reverse("outreach:contact_new"), {"note": NOTE})

    assert response.status_code == 403
    assert title in response.content.decode()
    assert not Contact.objects.exists()


def _switch_language(client, typed, next_page):
    return client.post(
        reverse("site:set_language"),
        {"language": "es", "next": next_page, "peacehub_typed_form": typed},
    )


def _typed_contact(person, **fields):
    return json.dumps(
        {
            "action": reverse("outreach:contact_new"),
            "fields": {
                "person": [str(person.pk)],
                "contact_type": ["hospital"],
                "note": [NOTE],
                "csrfmiddlewaretoken": ["stale"],
                **fields,
            },
        }
    )


def test_switching_language_keeps_what_was_typed_for_the_page(client, alice, person_a):
    client.force_login(alice)
    page = _contact_form_address(person_a)

    response = _switch_language(client, _typed_contact(person_a), page)

    assert response["Location"] == page
    assert not Contact.objects.exists()
    shown = client.get(page)
    kept = shown.context["unsent_form"]
    assert kept["reason"] == "language"
    assert kept["action"] == reverse("outreach:contact_new")
    assert kept["fields"]["note"] == [NOTE]
    assert "csrfmiddlewaretoken" not in kept["fields"]
    html = shown.content.decode()
    assert 'lang="es"' in html
    assert "Lo que escribió" in html
    assert "su sesión había terminado" not in html.lower()
    (row,) = Session.objects.filter(session_key=client.session.session_key)
    assert NOTE not in json.dumps(row.get_decoded())


@pytest.mark.parametrize(
    "typed",
    [
        "not json",
        json.dumps(["a", "list"]),
        json.dumps({"action": "https://evil.example/", "fields": {"note": [NOTE]}}),
        json.dumps({"action": "/outreach/contacts/new/", "fields": {"note": NOTE}}),
        json.dumps({"action": "/outreach/contacts/new/", "fields": {"note": [""]}}),
    ],
)
def test_a_switch_carrying_nothing_usable_keeps_nothing_and_still_switches(
    client, alice, person_a, typed
):
    client.force_login(alice)
    response = _switch_language(client, typed, _contact_form_address(person_a))
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "es"
    assert SESSION_KEY not in client.session


def test_a_password_typed_before_switching_is_never_kept(client, alice):
    client.force_login(alice)
    typed = json.dumps(
        {
            "action": reverse("accounts:profile"),
            "fields": {"form": ["password"], "old_password": ["secret"], "new_password1": ["x"]},
        }
    )
    _switch_language(client, typed, reverse("accounts:profile"))
    kept = client.get(reverse("accounts:profile")).context["unsent_form"]
    assert kept["fields"] == {"form": ["password"]}


def test_signed_out_the_switch_keeps_nothing(client, person_a):
    _switch_language(client, _typed_contact(person_a), "/")
    assert SESSION_KEY not in client.session


def test_a_switch_forged_from_another_site_keeps_nothing(alice, person_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = _switch_language(client, _typed_contact(person_a), _contact_form_address(person_a))
    assert response.status_code == 403
    assert SESSION_KEY not in client.session
