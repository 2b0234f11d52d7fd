import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from peacehub.accounts.roles import Role
from peacehub.accounts.tests.factories import member
from peacehub.audit.models import AuditEvent
from peacehub.outreach.models import Contact
from peacehub.outreach.tests.factories import ContactFactory, area
from peacehub.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_common_case_is_a_person_a_type_and_a_note(client_for, alice, person_a):
    """Tap the person's "Log" link, keep the prefilled type, write a note, save."""
    client = client_for(alice)
    page = client.get(reverse("outreach:contact_new"), {"person": person_a.pk})
    form = page.context["form"]
    assert form.initial["person"] == person_a.pk
    assert form.initial["contact_type"] == "street"
    assert form.initial["community_area"] == person_a.community_area_id

    data = {
        "person": person_a.pk,
        "contact_type": "street",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "community_area": person_a.community_area_id,
        "note": "Checked in after the block party",
    }
    response = client.post(reverse("outreach:contact_new"), data)

    contact = Contact.objects.get()
    assert response.status_code == 302
    assert contact.person == person_a
    assert contact.worker == alice
    assert contact.organization == person_a.organization
    assert contact.note == "Checked in after the block party"
    assert AuditEvent.objects.filter(action="create", record_id=str(contact.pk)).exists()


def test_a_contact_with_a_family_member_needs_no_person_record(client_for, alice):
    response = client_for(alice).post(
        reverse("outreach:contact_new"),
        {
            "non_participant": "family",
            "contact_type": "home_visit",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "community_area": area(67).pk,
            "minutes": "20",
            "topics": ["safety", "family"],
        },
    )
    contact = Contact.objects.get()
    assert response.status_code == 302
    assert contact.person is None
    assert contact.non_participant == "family"
    assert contact.topics == ["family", "safety"]


IN_TWO_YEARS = (datetime.date.today() + datetime.timedelta(days=2 * 365)).isoformat()


def _post(client, **changes):
    data = {
        "contact_type": "street",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "community_area": area().pk,
        **changes,
    }
    return client.post(reverse("outreach:contact_new"), data)


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"occurred_at": "2999-01-01T10:00"}, "occurred_at", "cannot be in the future"),
        ({"person": "00000000-0000-4000-8000-000000000009"}, "person", "Choose a participant"),
        ({"person": "not-a-uuid"}, "person", "Choose a participant"),
        ({}, "person", "Choose the participant, or say who it was with"),
        ({"non_participant": "cousin"}, "non_participant", "Select a valid choice"),
        ({"non_participant": "family", "contact_type": "teleport"}, "contact_type", "valid choice"),
        ({"non_participant": "family", "community_area": "999"}, "community_area", "Choose a"),
        ({"non_participant": "family", "minutes": "-5"}, "minutes", "greater than or equal to 1"),
        ({"non_participant": "family", "note": "x" * 501}, "note", "at most 500"),
        ({"non_participant": "family", "follow_up_by": "2001-01-01"}, "follow_up_by", "past"),
        (
            {"non_participant": "family", "occurred_at": "1902-06-01T10:00"},
            "occurred_at",
            "This date is too far in the past: check the year.",
        ),
        (
            {"non_participant": "family", "follow_up_by": "9999-12-30"},
            "follow_up_by",
            "A follow-up date cannot be more than a year ahead.",
        ),
        (
            {"non_participant": "family", "follow_up_by": IN_TWO_YEARS},
            "follow_up_by",
            "A follow-up date cannot be more than a year ahead.",
        ),
    ],
)
def test_bad_contacts_are_refused_and_nothing_saved(client_for, alice, changes, field, message):
    response = _post(client_for(alice), **changes)
    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    assert any(message in e for e in errors), errors
    assert not Contact.objects.exists()


def test_a_follow_up_up_to_a_year_ahead_is_kept(client_for, alice):
    in_a_year = timezone.localdate() + datetime.timedelta(days=365)
    response = _post(
        client_for(alice), non_participant="family", follow_up_by=in_a_year.isoformat()
    )
    assert response.status_code == 302
    assert Contact.objects.get().follow_up_by == in_a_year


def test_a_topic_ticked_twice_is_stored_once(client_for, alice):
    response = _post(
        client_for(alice), non_participant="family", topics=["housing", "safety", "housing"]
    )
    assert response.status_code == 302
    assert Contact.objects.get().topics == ["housing", "safety"]


def test_another_organizations_participant_cannot_be_logged(client_for, alice, person_b):
    response = _post(client_for(alice), person=str(person_b.pk))
    assert response.status_code == 400
    assert b"Luis" not in response.content
    assert not Contact.objects.exists()


def test_notes_are_encrypted_in_the_database(alice, person_a):
    ContactFactory(person=person_a, worker=alice, note="He said the beef is over")
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM outreach_contact")
        [(raw,)] = cursor.fetchall()
    assert "beef" not in raw
    assert raw.startswith("fernet:")
    assert Contact.objects.get().note == "He said the beef is over"


def test_home_lists_my_participants_by_days_since_contact(client_for, alice, org_a):
    fresh = PersonFactory(organization=org_a, outreach_worker=alice, legal_first_name="Fresh")
    stale = PersonFactory(organization=org_a, outreach_worker=alice, legal_first_name="Stale")
    PersonFactory(organization=org_a, outreach_worker=alice, legal_first_name="Never")
    PersonFactory(organization=org_a, legal_first_name="Someoneelses")
    now = timezone.now()
    ContactFactory(person=fresh, worker=alice, occurred_at=now - datetime.timedelta(days=2))
    ContactFactory(person=stale, worker=alice, occurred_at=now - datetime.timedelta(days=20))

    response = client_for(alice).get(reverse("outreach:home"))

    participants = response.context["participants"]
    assert [p.legal_first_name for p in participants] == ["Never", "Stale", "Fresh"]
    assert [p.days_since_contact for p in participants] == [None, 20, 2]
    assert [p.stale for p in participants] == [True, True, False]
    assert b"Someoneelses" not in response.content
    assert "20 days since last contact" in response.content.decode()
    assert response.content.decode().count("needs contact") == 2


def test_days_since_contact_are_calendar_days(client_for, alice, org_a):
    """Seen last night just before midnight: "1 day" this morning, not "0 days"."""
    person = PersonFactory(organization=org_a, outreach_worker=alice)
    midnight = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time.min)
    )
    ContactFactory(
        person=person, worker=alice, occurred_at=midnight - datetime.timedelta(microseconds=1)
    )

    response = client_for(alice).get(reverse("outreach:home"))

    assert [p.days_since_contact for p in response.context["participants"]] == [1]


def test_home_shows_todays_follow_ups_and_done_clears_them(client_for, alice, person_a):
    today = timezone.localdate()
    due = ContactFactory(person=person_a, worker=alice, follow_up_by=today)
    ContactFactory(person=person_a, worker=alice, follow_up_by=today + datetime.timedelta(days=3))
    client = client_for(alice)

    assert [c.pk for c in client.get(reverse("outreach:home")).context["follow_ups"]] == [due.pk]
    client.post(reverse("outreach:contact_done", args=[due.pk]))
    assert client.get(reverse("outreach:home")).context["follow_ups"] == []


def test_logging_a_contact_with_the_person_does_the_follow_ups_due(
    client_for, alice, bob, person_a
):
    """Tap "Log contact" under an overdue follow-up, save: the follow-up is done, in one
    go. A follow-up planned for next week, or a colleague's, stays."""
    today = timezone.localdate()
    overdue = ContactFactory(
        person=person_a, worker=alice, follow_up_by=today - datetime.timedelta(days=2)
    )
    due_today = ContactFactory(person=person_a, worker=alice, follow_up_by=today)
    later = ContactFactory(
        person=person_a, worker=alice, follow_up_by=today + datetime.timedelta(days=7)
    )
    colleagues = ContactFactory(person=person_a, worker=bob, follow_up_by=today)
    client = client_for(alice)

    client.post(
        reverse("outreach:contact_new"),
        {
            "person": person_a.pk,
            "contact_type": "phone",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "community_area": person_a.community_area_id,
        },
    )

    assert client.get(reverse("outreach:home")).context["follow_ups"] == []
    done = {c.pk for c in Contact.objects.filter(follow_up_done_at__isnull=False)}
    assert done == {overdue.pk, due_today.pk}
    assert later.pk not in done and colleagues.pk not in done
    assert AuditEvent.objects.filter(action="update", record_id=str(overdue.pk)).exists()


def test_home_query_count_does_not_grow_with_participants(
    client_for, alice, org_a, django_assert_max_num_queries
):
    for _ in range(15):
        person = PersonFactory(organization=org_a, outreach_worker=alice)
        ContactFactory(person=person, worker=alice, follow_up_by=timezone.localdate())
    client = client_for(alice)
    client.get(reverse("outreach:home"))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("outreach:home"))
    assert len(response.context["participants"]) == 15


def test_a_worker_cannot_close_another_workers_follow_up(client_for, org_a, alice, person_a):
    from peacehub.accounts.roles import Role
    from peacehub.accounts.tests.factories import member

    other = member(org_a, Role.OUTREACH_WORKER)
    contact = ContactFactory(person=person_a, worker=other, follow_up_by=timezone.localdate())
    response = client_for(alice).post(reverse("outreach:contact_done", args=[contact.pk]))
    contact.refresh_from_db()
    assert response.status_code == 403
    assert contact.follow_up_done_at is None


def test_contact_list_shows_own_organization_only(client_for, alice, person_a, person_b, charlie):
    ContactFactory(person=person_a, worker=alice, note="ours")
    ContactFactory(person=person_b, worker=charlie, note="theirs")
    content = client_for(alice).get(reverse("outreach:contacts")).content.decode()
    assert "ours" in content
    assert "theirs" not in content
    assert "Luis" not in content


def test_contact_list_pages_through_without_counting_every_contact(client_for, alice, person_a):
    """A year of an organization's contacts is long: the list goes page by page,
    newest first, and never counts them all."""
    now = timezone.now()
    for n in range(27):
        ContactFactory(
            person=person_a,
            worker=alice,
            occurred_at=now - datetime.timedelta(hours=n + 1),
            note=f"visit {n:02d}",
        )
    client = client_for(alice)
    with CaptureQueriesContext(connection) as queries:
        first = client.get(reverse("outreach:contacts")).content.decode()
    assert not any("COUNT(" in q["sql"] for q in queries.captured_queries)
    assert "visit 00" in first and "visit 24" in first and "visit 25" not in first
    assert "Page 1" in first and "Page 1 of" not in first
    assert "page=2" in first and "Previous" not in first

    second = client.get(reverse("outreach:contacts"), {"page": "2"}).content.decode()
    assert "visit 25" in second and "visit 26" in second and "visit 24" not in second
    assert "page=1" in second and "page=3" not in second

    beyond = client.get(reverse("outreach:contacts"), {"page": "nine"}).content.decode()
    assert "visit 00" in beyond  # an unreadable page number is the first page


def test_person_page_shows_recent_contacts_and_the_log_button(client_for, alice, person_a):
    ContactFactory(person=person_a, worker=alice, note="Walked him to the clinic")
    content = client_for(alice).get(reverse("people:detail", args=[person_a.pk])).content.decode()
    assert "Walked him to the clinic" in content
    assert f"{reverse('outreach:contact_new')}?person={person_a.pk}" in content


def test_program_staff_do_not_see_outreach_contacts(client_for, org_a, person_a, alice):
    from peacehub.accounts.roles import Role
    from peacehub.accounts.tests.factories import member

    ContactFactory(person=person_a, worker=alice, note="Walked him to the clinic")
    lawyer = member(org_a, Role.LEGAL_STAFF)
    content = client_for(lawyer).get(reverse("people:detail", args=[person_a.pk])).content
    assert b"Walked him to the clinic" not in content
    assert client_for(lawyer).get(reverse("outreach:contacts")).status_code == 403


def test_a_name_typed_but_not_tapped_comes_back_with_its_matches(client_for, alice, person_a):
    """At night a worker types the whole name and presses Save without tapping the
    suggestion: the page says to choose, keeps what was typed, and searches it again."""
    response = client_for(alice).post(
        reverse("outreach:contact_new"),
        {
            "q": "Jamal Washington",
            "contact_type": "street",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "community_area": person_a.community_area_id,
            "note": "Checked in",
        },
    )

    assert response.status_code == 400
    assert not Contact.objects.exists()
    html = response.content.decode()
    assert 'value="Jamal Washington"' in html
    assert 'hx-trigger="load, input changed' in html
    assert "Checked in" in html


@pytest.mark.parametrize("persona", ["alice", "carmen", "bob"])
def test_every_link_on_the_outreach_home_opens_for_whoever_sees_it(client_for, request, persona):
    """A case manager logs contacts too, but neither reports incidents nor keeps duty:
    the home page offers nobody a link that answers "Not allowed"."""
    import re

    user = request.getfixturevalue(persona)
    client = client_for(user)
    home = client.get(reverse("outreach:home"))
    assert home.status_code == 200
    links = set(
        re.findall(r'href="(/(?:outreach|people|alerts|cases)/[^"?#]*)', home.content.decode())
    )
    assert links
    for link in sorted(links):
        assert client.get(link).status_code == 200, link


def test_a_pasted_note_too_long_is_refused_by_the_server_and_kept(client_for, alice):
    """The browser does not cut a pasted note at 500 characters without a word: the
    page says the limit, and a longer note comes back whole, with the reason."""
    client = client_for(alice)
    form = client.get(reverse("outreach:contact_new")).content.decode()
    textarea = re.search(r"<textarea[^>]*name=\"note\"[^>]*>", form).group()
    assert "maxlength" not in textarea
    assert 'aria-describedby="id_note_helptext"' in textarea
    assert "At most 500 characters." in form

    note = ("He said the beef with the other block is over. " * 13).strip()
    assert len(note) == 610
    response = _post(client, non_participant="family", note=note)

    assert response.status_code == 400
    assert response.context["form"].errors["note"] == [
        "Ensure this value has at most 500 characters (it has 610)."
    ]
    assert html.escape(note) in response.content.decode()
    assert not Contact.objects.exists()


def test_an_empty_contact_form_says_to_choose_the_participant_once(client_for, alice):
    response = client_for(alice).post(reverse("outreach:contact_new"), {})
    assert response.status_code == 400
    content = response.content.decode()
    assert content.count("Choose the participant, or say who it was with") == 1
    assert "Nothing was saved" in content


def test_done_asks_first_and_a_follow_up_done_by_mistake_is_undone(client_for, alice, person_a):
    due = ContactFactory(person=person_a, worker=alice, follow_up_by=timezone.localdate())
    client = client_for(alice)
    done = reverse("outreach:contact_done", args=[due.pk])
    home = client.get(reverse("outreach:home")).content.decode()
    assert re.search(
        rf'action="{done}">.*?<button type="submit" class="secondary" '
        r'data-confirm="Mark this follow-up done\?">Done</button>',
        home,
    )

    marked = client.post(done, follow=True)

    assert marked.context["follow_ups"] == []
    undo = reverse("outreach:contact_reopen", args=[due.pk])
    page = marked.content.decode()
    assert f'action="{undo}"' in page
    assert "Follow-up marked done: Jamal Washington." in page

    undone = client.post(undo, follow=True)

    assert [c.pk for c in undone.context["follow_ups"]] == [due.pk]
    assert "The follow-up is back on your list." in undone.content.decode()
    assert undone.context["undoable"] is None
    due.refresh_from_db()
    assert due.follow_up_done_at is None
    assert AuditEvent.objects.filter(
        record_id=str(due.pk), action="update", detail__reopened=True
    ).exists()


def test_only_the_worker_or_a_supervisor_reopens_a_follow_up(
    client_for, org_a, alice, bob, person_a
):
    from peacehub.accounts.roles import Role
    from peacehub.accounts.tests.factories import member

    contact = ContactFactory(
        person=person_a,
        worker=alice,
        follow_up_by=timezone.localdate(),
        follow_up_done_at=timezone.now(),
    )
    reopen = reverse("outreach:contact_reopen", args=[contact.pk])
    other = member(org_a, Role.OUTREACH_WORKER)
    assert client_for(other).post(reopen).status_code == 403
    # Someone else's done follow-up is not offered to undo on one's home page.
    home = client_for(other).get(reverse("outreach:home"), {"undo": contact.pk})
    assert home.context["undoable"] is None and "Jamal" not in home.content.decode()
    contact.refresh_from_db()
    assert contact.follow_up_done_at is not None

    assert client_for(bob).post(reopen).status_code == 302
    contact.refresh_from_db()
    assert contact.follow_up_done_at is None


def test_a_contact_without_a_follow_up_has_none_to_reopen(client_for, alice, person_a):
    contact = ContactFactory(person=person_a, worker=alice)
    response = client_for(alice).post(
        reverse("outreach:contact_reopen", args=[contact.pk]), follow=True
    )
    assert "This contact has no follow-up." in response.content.decode()
    contact.refresh_from_db()
    assert contact.follow_up_done_at is None


def test_a_picked_participant_carries_their_community_area(client_for, alice, person_a):
    """The picker sets the contact's area from the result (peacehub.js, [data-pick])."""
    results = client_for(alice).get(reverse("people:autocomplete"), {"picker": "1", "q": "Jamal"})
    assert f'data-pick="{person_a.pk}"' in results.content.decode()
    assert f'data-area="{person_a.community_area_id}"' in results.content.decode()


@pytest.mark.parametrize(
    "typed, found",
    [
        ("DAngelo", "D'Angelo Price"),
        ("Dangelo", "D'Angelo Price"),
        ("d'angelo", "D'Angelo Price"),
        ("D’Angelo", "D'Angelo Price"),
        ("Angelo", "D'Angelo Price"),
        ("ONeal", "Shaq O'Neal"),
        ("oneal", "Shaq O'Neal"),
        ("O'Neal", "Shaq O'Neal"),
        ("Shaq ONeal", "Shaq O'Neal"),
    ],
)
def test_the_quick_log_search_finds_a_name_with_an_apostrophe_typed_without(
    client_for, alice, org_a, typed, found
):
    """A worker on a phone types "DAngelo": the apostrophe is a long press away."""
    PersonFactory(organization=org_a, legal_first_name="D'Angelo", legal_last_name="Price")
    PersonFactory(organization=org_a, legal_first_name="Shaq", legal_last_name="O'Neal")
    PersonFactory(organization=org_a, legal_first_name="Angela", legal_last_name="Dean")
    results = client_for(alice).get(reverse("people:autocomplete"), {"picker": "1", "q": typed})
    names = [p.display_name for p in results.context["people"]]
    assert names[:1] == [found]
    assert html.escape(found) in results.content.decode()


def _log(client, person, **changes):
    return _post(client, person=person.pk, **changes)


def test_a_contact_just_logged_can_be_undone_by_its_worker(client_for, alice, person_a):
    """Logged with the wrong Jamal: the page that follows says it was logged and offers
    "Undo", a button that posts; undone, the contact is gone and the log says so."""
    client = client_for(alice)
    due = ContactFactory(person=person_a, worker=alice, follow_up_by=timezone.localdate())
    home = client.get(_log(client, person_a, note="Talked at the store")["Location"])
    contact = Contact.objects.exclude(pk=due.pk).get()
    undo = reverse("outreach:contact_undo", args=[contact.pk])
    page = home.content.decode()
    assert "Contact logged." in page
    assert "Contact with Jamal Washington logged by mistake?" in page
    assert re.search(rf'<form[^>]*method="post"[^>]*action="{undo}"', page)
    due.refresh_from_db()
    assert due.follow_up_done_at is not None  # settled by the contact

    response = client.post(undo, follow=True)

    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert "Contact undone: it is no longer recorded." in response.content.decode()
    # The follow-up it settled is owed again.
    due.refresh_from_db()
    assert due.follow_up_done_at is None
    assert [c.pk for c in response.context["follow_ups"]] == [due.pk]
    assert AuditEvent.objects.filter(action="delete", record_id=str(contact.pk)).exists()


def test_only_its_worker_can_undo_a_contact(client_for, org_a, alice, bob, charlie, person_a):
    """A colleague (even the supervisor) or another organization's worker: not found."""
    contact = ContactFactory(person=person_a, worker=alice, created_at=timezone.now())
    undo = reverse("outreach:contact_undo", args=[contact.pk])
    colleague = member(org_a, Role.OUTREACH_WORKER, "colleague@example.org")
    for other in (colleague, bob, charlie):
        assert client_for(other).post(undo).status_code == 404
        home = client_for(other).get(reverse("outreach:home"), {"logged": contact.pk})
        assert home.context["logged"] is None
    assert Contact.objects.filter(pk=contact.pk).exists()
    assert client_for(alice).get(undo).status_code == 405


def test_a_contact_cannot_be_undone_after_ten_minutes(client_for, alice, person_a):
    contact = ContactFactory(
        person=person_a, worker=alice, created_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    client = client_for(alice)
    home = client.get(reverse("outreach:home"), {"logged": contact.pk})
    assert home.context["logged"] is None
    assert "Undo" not in home.content.decode()

    response = client.post(reverse("outreach:contact_undo", args=[contact.pk]), follow=True)

    assert Contact.objects.filter(pk=contact.pk).exists()
    assert (
        "This contact was logged more than 10 minutes ago: it can no longer be undone."
        in response.content.decode()
    )


def _hrefs(page: str, text: str) -> list[str]:
    """The addresses of the links whose text is ``text``."""
    return [
        html.unescape(href)
        for href, label in re.findall(r'<a [^>]*href="([^"]*)"[^>]*>([^<]*)</a>', page)
        if label.strip() == text
    ]


def test_contacts_of_one_person_name_them_and_log_for_them(client_for, alice, person_a, org_a):
    other = PersonFactory(organization=org_a, legal_first_name="Marcus", legal_last_name="Bell")
    ContactFactory(person=person_a, worker=alice, note="with Jamal")
    ContactFactory(person=other, worker=alice, note="with Marcus")

    response = client_for(alice).get(reverse("outreach:contacts"), {"person": person_a.pk})

    page = response.content.decode()
    assert "<h1>Contacts with Jamal Washington</h1>" in page
    assert "with Jamal" in page and "with Marcus" not in page
    log = _hrefs(page, "Log contact with Jamal Washington")
    assert log == [f"{reverse('outreach:contact_new')}?person={person_a.pk}"]
    # The link it gives opens the form on Jamal.
    form = client_for(alice).get(log[0]).context["form"]
    assert form.initial["person"] == person_a.pk


def test_only_mine_keeps_the_person_and_the_person_keeps_only_mine(
    client_for, alice, bob, person_a, org_a
):
    other = PersonFactory(organization=org_a, legal_first_name="Marcus", legal_last_name="Bell")
    ContactFactory(person=person_a, worker=alice, note="alice with Jamal")
    ContactFactory(person=person_a, worker=bob, note="bob with Jamal")
    ContactFactory(person=other, worker=alice, note="alice with Marcus")
    client = client_for(alice)
    url = reverse("outreach:contacts")

    by_person = client.get(url, {"person": person_a.pk}).content.decode()
    [only_mine] = _hrefs(by_person, "Only mine")
    mine_and_person = client.get(url + only_mine).content.decode()
    assert "<h1>Contacts with Jamal Washington</h1>" in mine_and_person
    assert "alice with Jamal" in mine_and_person
    assert "bob with Jamal" not in mine_and_person
    assert "alice with Marcus" not in mine_and_person

    # Back to everyone's, still Jamal's; or to every participant, still mine.
    [everyone] = _hrefs(mine_and_person, "Everyone's contacts")
    everyones = client.get(url + everyone).content.decode()
    assert "bob with Jamal" in everyones and "alice with Marcus" not in everyones
    [all_people] = _hrefs(mine_and_person, "All participants")
    all_mine = client.get(url + all_people).content.decode()
    assert "alice with Marcus" in all_mine and "bob with Jamal" not in all_mine
    assert "<h1>Contacts</h1>" in all_mine


def test_page_links_keep_the_filters_but_not_the_feed_poll(client_for, alice, person_a):
    """A page fetched by a poll (?poll=1, the alerts feed's htmx refresh) must not hand
    its links the poll: following one would render the fragment, not a whole page."""
    now = timezone.now()
    for n in range(27):
        ContactFactory(
            person=person_a, worker=alice, occurred_at=now - datetime.timedelta(hours=n + 1)
        )
    client = client_for(alice)
    url = reverse("outreach:contacts")

    first = client.get(url, {"poll": "1", "mine": "1", "person": person_a.pk}).content.decode()

    [next_page] = _hrefs(first, "Next")
    assert "poll" not in next_page
    assert "mine=1" in next_page and f"person={person_a.pk}" in next_page
    assert "page=2" in next_page
    second = client.get(url + next_page)
    assert second.context["page"].number == 2
    assert "<html" in second.content.decode()
    [previous] = _hrefs(second.content.decode(), "Previous")
    assert "poll" not in previous and "page=1" in previous and "mine=1" in previous
