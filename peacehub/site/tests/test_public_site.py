"""The public site: every page open to anonymous visitors in English and Spanish, the
partners and their areas from the database, tap-to-call help lines, and nothing that
belongs to staff or to the people the coalition serves."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from peacehub.people.tests.factories import PersonFactory
from peacehub.site.programs import PROGRAMS

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    ("site:home", []),
    ("site:programs", []),
    *[("site:program", [program.slug]) for program in PROGRAMS],
    ("site:partners", []),
    ("site:areas", []),
    ("site:area", [68]),
    ("site:area", [1]),  # Rogers Park: no partner works there.
    ("site:get_help", []),
]


def _get(client, url, language="en"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(url)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(
    "name, args", PUBLIC_PAGES, ids=[" ".join([n, *map(str, a)]) for n, a in PUBLIC_PAGES]
)
def test_every_public_page_opens_for_anonymous_visitors(client, coalition, name, args, language):
    response = _get(client, reverse(name, args=args), language)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    # The public navigation, with the way to help on every page.
    assert f'href="{reverse("site:get_help")}"' in html
    assert f'href="{reverse("events:calendar")}"' in html
    assert f'href="{reverse("academy:public_trainings")}"' in html
    # Nothing comes from another host: no script, style, image or font from elsewhere.
    assert not re.search(r'(?:src|href|action)="(?:https?:)?//', html)
    assert "style=" not in html


def test_spanish_pages_come_in_spanish(client, coalition):
    html = _get(client, reverse("site:home"), "es").content.decode()
    assert ">Inicio</a>" in html
    assert 'lang="en">English</button>' in html


def test_unknown_program_and_area_are_not_found(client, coalition):
    assert client.get(reverse("site:program", args=["gang-database"])).status_code == 404
    assert client.get("/areas/78/").status_code == 404
    assert client.get("/areas/0/").status_code == 404
    assert client.get("/areas/englewood/").status_code == 404


def test_home_leads_to_help_programs_events_trainings_and_partners(client, coalition):
    html = client.get(reverse("site:home")).content.decode()
    assert 'href="tel:911"' in html
    for program in PROGRAMS:
        assert reverse("site:program", args=[program.slug]) in html
    assert reverse("site:partners") in html
    # Counts of organizations and areas, never of people.
    assert "<strong>2</strong> partner organizations" in html
    assert "<strong>5</strong> community areas" in html


def test_get_help_has_tap_to_call_hotlines(client):
    html = client.get(reverse("site:get_help")).content.decode()
    assert '<a class="call" href="tel:911">Call 911</a>' in html
    assert '<a class="call" href="tel:988">Call 988</a>' in html
    assert 'href="sms:988">Text 988</a>' in html
    assert '<a class="call" href="tel:+18778636338">Call 1-877-863-6338</a>' in html
    # No other number is made up: every tel: link is one of the verified lines.
    assert set(re.findall(r'href="tel:([^"]*)"', html)) == {"911", "988", "+18778636338"}


def test_coalition_contact_line_shows_only_when_set(client, settings):
    settings.PUBLIC_CONTACT_PHONE = ""
    html = client.get(reverse("site:get_help")).content.decode()
    assert "Questions about our programs?" not in html
    settings.PUBLIC_CONTACT_PHONE = "(312) 555-0100"
    html = client.get(reverse("site:get_help")).content.decode()
    assert "Questions about our programs?" in html
    assert 'href="tel:3125550100">Call (312) 555-0100</a>' in html


def test_partners_page_lists_partners_and_providers_with_their_areas(client, coalition):
    response = client.get(reverse("site:partners"))
    html = response.content.decode()
    for organization in coalition["partners"] + coalition["providers"]:
        assert organization.name in html
    # Each partner with its own areas, linked to their pages.
    southside = html.split("<h3>Southside Bridges</h3>", 1)[1].split("<h3>", 1)[0]
    assert f'<a href="{reverse("site:area", args=[68])}">Englewood</a>' in southside
    assert f'<a href="{reverse("site:area", args=[67])}">West Englewood</a>' in southside
    assert "Austin" not in southside
    west = html.split("<h3>Open Hands West</h3>", 1)[1].split("<h3>", 1)[0]
    assert f'<a href="{reverse("site:area", args=[25])}">Austin</a>' in west
    # A provider serving every focus area says so instead of listing them all.
    assert "Works in every community area where the coalition works." in html
    # The convener is the coalition's back office, not a place to go for help.
    assert coalition["convener"].name not in html
    assert "The 5 community areas where the coalition works" in html


def test_partners_page_draws_the_map_with_the_focus_areas_shaded(client, coalition):
    html = client.get(reverse("site:partners")).content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg
    assert svg.count('<path class="area') == 77
    assert svg.count('class="area focus"') == 5
    assert "<script" not in svg


def test_area_page_lists_who_serves_it_and_outlines_it(client, coalition):
    html = client.get(reverse("site:area", args=[66])).content.decode()
    assert "<h1>Chicago Lawn</h1>" in html
    assert "Community area 66" in html
    assert "Commons Legal Aid Project" in html
    assert "Clear Path Partner Accountability Program" in html
    assert "Southside Bridges" not in html
    assert coalition["convener"].name not in html
    assert 'class="area focus highlight"' in html
    assert '<circle class="marker"' in html


def test_area_page_without_partners_still_points_to_help(client, coalition):
    html = client.get(reverse("site:area", args=[1])).content.decode()
    assert "No partner organization of the coalition works in Rogers Park yet." in html
    assert reverse("site:get_help") in html


def test_area_finder_goes_to_the_area_page(client, coalition):
    response = client.get(reverse("site:areas"), {"area": "68"})
    assert response.status_code == 302
    assert response["Location"] == reverse("site:area", args=[68])


@pytest.mark.parametrize("bad", ["99", "englewood", "", "-1", "068", "٦٨", "9" * 30])
def test_area_finder_explains_a_bad_choice_and_lists_every_area(client, coalition, bad):
    response = client.get(reverse("site:areas"), {"area": bad})
    assert response.status_code == 200
    html = response.content.decode()
    assert "We could not find that community area." in html
    assert html.count('<li><a href="/areas/') == 77


def test_ipv_program_names_its_pilot_areas(client, coalition):
    html = client.get(reverse("site:program", args=["ipv-program"])).content.decode()
    names = re.findall(r'<li><a href="/areas/\d+/">([^<]+)</a></li>', html)
    assert names == ["West Englewood", "Englewood", "Chicago Lawn", "South Chicago"]
    assert 'href="tel:+18778636338"' in html


def test_no_staff_or_participant_data_on_public_pages(client, coalition, alice, bob, dana):
    # Names no community area or organization shares ("Washington Park" would).
    participant = PersonFactory(
        organization=coalition["partners"][0],
        legal_first_name="Zebediah",
        legal_last_name="Quillfeather",
    )
    leaks = [
        alice.email,
        alice.full_name,
        bob.email,
        bob.full_name,
        dana.email,
        dana.full_name,
        participant.legal_first_name,
        participant.legal_last_name,
        "@example.org",
    ]
    for name, args in PUBLIC_PAGES:
        html = client.get(reverse(name, args=args)).content.decode()
        found = [leak for leak in leaks if leak in html]
        assert found == [], f"{name} {args} shows {found}"


@pytest.mark.parametrize(
    "name, args, queries",
    [
        ("site:home", [], 2),
        ("site:partners", [], 4),
        ("site:area", [68], 5),
        ("site:areas", [], 1),
        ("site:get_help", [], 0),
    ],
)
def test_public_pages_pin_their_query_count(
    client, coalition, django_assert_num_queries, name, args, queries
):
    url = reverse(name, args=args)
    client.get(url)  # The map's outlines are projected once per process.
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_signed_in_staff_can_read_the_public_pages_too(client, coalition, alice):
    client.force_login(alice)
    response = client.get(reverse("site:partners"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
