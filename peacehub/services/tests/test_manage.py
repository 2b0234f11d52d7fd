"""Managing the directory: who may change what, forms that refuse bad input and save
nothing, locations, organizations, and HSDS files through the web."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peacehub.accounts.roles import Role
from peacehub.accounts.tests.factories import member
from peacehub.audit.models import AuditEvent
from peacehub.geo.models import CommunityArea
from peacehub.services.hsds import EXAMPLES_DIR, schema_problems
from peacehub.services.models import DirectoryOrganization, Location, Service
from peacehub.services.tests.factories import DirectoryOrganizationFactory, directory_service
from peacehub.services.tests.snapshot import directory_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry_a(org_a):
    return DirectoryOrganizationFactory(name="Southside Bridges", organization=org_a)


@pytest.fixture
def entry_b(org_b):
    return DirectoryOrganizationFactory(name="West Side Peacekeepers", organization=org_b)


@pytest.fixture
def service_b(entry_b):
    return directory_service(name="Peacekeepers case management", organization=entry_b)


def valid_form(organization, **changes) -> dict:
    data = {
        "organization": str(organization.pk),
        "name": "Youth job club",
        "alternate_name": "",
        "description": "Weekly job club with lunch.",
        "status": "active",
        "eligibility_description": "Young adults aged 16 to 24.",
        "minimum_age": "16",
        "maximum_age": "24",
        "fees_description": "Free.",
        "application_process": "Walk in on Tuesdays.",
        "url": "https://bridges.example.org/jobs",
        "email": "jobs@bridges.example.org",
        "needs": ["employment", "education"],
        "languages": ["en", "es"],
        "community_areas": [
            str(CommunityArea.objects.get(number=68).pk),
            str(CommunityArea.objects.get(number=67).pk),
        ],
        "phone": "(773) 555-0142",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_an_organization_admin_adds_their_organization_then_a_service(client_for, olivia, org_a):
    client = client_for(olivia)
    page = client.get(reverse("services:manage")).content.decode()
    assert "Southside Bridges is not in the service directory yet" in page
    client.post(reverse("services:organization_join"), {"organization": str(org_a.pk)})
    entry = DirectoryOrganization.objects.get(organization=org_a)

    response = client.post(reverse("services:new"), valid_form(entry))

    service = Service.objects.get(name="Youth job club")
    assert response.status_code == 302
    assert service.receiving_organization == org_a
    listed = Service.objects.for_listing().get(pk=service.pk)
    assert [n.value for n in listed.needs] == ["employment", "education"]
    assert sorted(x.code for x in listed.languages.all()) == ["en", "es"]
    assert [p.number for p in listed.phones.all()] == ["(773) 555-0142"]
    assert sorted(
        CommunityArea.objects.filter(service_areas__service=service).values_list(
            "number", flat=True
        )
    ) == [67, 68]
    event = AuditEvent.objects.filter(record_type="services.service").get()
    assert (event.action, event.record_id, event.organization_id) == (
        "create",
        str(service.pk),
        str(org_a.pk),
    )


def test_convener_staff_edit_any_service(client_for, dana, service_b):
    response = client_for(dana).post(
        reverse("services:edit", args=[service_b.pk]),
        valid_form(service_b.organization, name="Case management", languages=["es"]),
    )
    assert response.status_code == 302
    service_b.refresh_from_db()
    assert service_b.name == "Case management"
    assert list(service_b.languages.values_list("code", flat=True)) == ["es"]
    event = AuditEvent.objects.filter(record_type="services.service").get()
    assert event.action == "update" and "name" in event.detail["fields"]


def test_another_organizations_admin_cannot_edit_your_services(
    client_for, olivia, entry_a, service_b
):
    client = client_for(olivia)
    url = reverse("services:edit", args=[service_b.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, valid_form(entry_a, name="Mine now")).status_code == 403
    # Nor can she file a new service under the other organization.
    response = client.post(reverse("services:new"), valid_form(service_b.organization))
    assert response.status_code == 400
    assert "Choose an organization from the list." in response.content.decode()
    service_b.refresh_from_db()
    assert service_b.name == "Peacekeepers case management"
    assert Service.objects.count() == 1


def test_a_missing_service_is_404(client_for, dana):
    url = reverse("services:edit", args=["00000000-0000-4000-8000-000000000001"])
    assert client_for(dana).get(url).status_code == 404


@pytest.mark.parametrize(
    "user_fixture, status",
    [("alice", 403), ("bob", 403), ("eve", 403), ("olivia", 200), ("dana", 200)],
)
def test_who_may_manage_the_directory(request, client_for, user_fixture, status):
    client = client_for(request.getfixturevalue(user_fixture))
    assert client.get(reverse("services:manage")).status_code == status


@pytest.mark.parametrize("user_fixture, status", [("olivia", 403), ("alice", 403), ("dana", 200)])
def test_only_the_convener_imports_files_and_adds_organizations(
    request, client_for, user_fixture, status
):
    client = client_for(request.getfixturevalue(user_fixture))
    assert client.get(reverse("services:import")).status_code == status
    assert client.get(reverse("services:organization_new")).status_code == status


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"name": "   "}, "name", "Enter a name."),
        ({"url": "bridges dot org"}, "url", "Enter a full web address"),
        ({"email": "jobs at bridges"}, "email", "Enter a valid email address."),
        (
            {"minimum_age": "30", "maximum_age": "20"},
            "maximum_age",
            "The maximum age is below the minimum age.",
        ),
        ({"minimum_age": "-1"}, "minimum_age", "greater than or equal to 0"),
        ({"community_areas": ["99999"]}, "community_areas", "Choose community areas from"),
        ({"needs": ["astrology"]}, "needs", "Select a valid choice."),
        ({"phone": "call me"}, "phone", "Enter a phone number of 7 to 15 digits."),
        ({"name": "x" * 201}, "name", "at most 200 characters (it has 201)"),
        ({"description": "x" * 4001}, "description", "at most 4000 characters (it has 4001)"),
        ({"status": "open"}, "status", "Select a valid choice."),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(
    client_for, dana, entry_a, changes, field, message
):
    before = directory_rows()
    response = client_for(dana).post(reverse("services:new"), valid_form(entry_a, **changes))
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert "Nothing was saved" in response.content.decode()
    assert directory_rows() == before


def test_a_location_gets_its_community_area_from_its_coordinates(client_for, olivia, entry_a):
    service = directory_service(name="Job club", organization=entry_a)
    englewood = CommunityArea.objects.get(number=68)
    client = client_for(olivia)
    data = {
        "name": "Bridges office",
        "location_type": "physical",
        "address_1": "6300 S Halsted St",
        "city": "Chicago",
        "state_province": "IL",
        "postal_code": "60621",
        "latitude": str(englewood.centroid_latitude),
        "longitude": str(englewood.centroid_longitude),
    }
    response = client.post(reverse("services:location_new", args=[service.pk]), data)
    assert response.status_code == 302
    location = Location.objects.get()
    assert location.community_area == englewood
    assert location.address_id is not None

    austin = CommunityArea.objects.get(number=25)
    data.update(latitude=str(austin.centroid_latitude), longitude=str(austin.centroid_longitude))
    url = reverse("services:location_edit", args=[service.pk, location.pk])
    assert client.post(url, data).status_code == 302
    location.refresh_from_db()
    assert location.community_area == austin

    remove = reverse("services:location_remove", args=[service.pk, location.pk])
    assert client.post(remove).status_code == 302
    assert not Location.objects.exists()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"latitude": "95"}, "Give a value from -90 to 90."),
        ({"longitude": ""}, "Give both the latitude and the longitude, or neither."),
        ({"postal_code": ""}, "Complete the address: street, city, state and ZIP code."),
        (
            {"name": "", "address_1": "", "city": "", "state_province": "", "postal_code": ""},
            "Give the place a name or an address.",
        ),
    ],
)
def test_bad_locations_save_nothing(client_for, dana, entry_a, changes, message):
    service = directory_service(name="Job club", organization=entry_a)
    data = {
        "name": "Office",
        "location_type": "physical",
        "address_1": "6300 S Halsted St",
        "city": "Chicago",
        "state_province": "IL",
        "postal_code": "60621",
        "latitude": "41.77",
        "longitude": "-87.64",
        **changes,
    }
    response = client_for(dana).post(reverse("services:location_new", args=[service.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Location.objects.exists()


def test_another_organizations_location_is_not_yours_to_edit(
    client_for, olivia, entry_a, service_b
):
    englewood = CommunityArea.objects.get(number=68)
    location = Location.objects.create(organization=service_b.organization, name="Their hall")
    location.service_at_locations.create(service=service_b)
    ours = directory_service(name="Job club", organization=entry_a)
    ours.service_at_locations.create(location=location)
    client = client_for(olivia)
    url = reverse("services:location_edit", args=[ours.pk, location.pk])
    assert client.get(url).status_code == 403
    data = {"name": "Ours now", "location_type": "physical"}
    assert client.post(url, data).status_code == 403
    other = reverse("services:location_edit", args=[service_b.pk, location.pk])
    assert client.get(other).status_code == 403
    location.refresh_from_db()
    assert location.name == "Their hall" and englewood


def test_the_convener_links_an_organization_to_the_coalition(client_for, dana, org_b):
    client = client_for(dana)
    response = client.post(
        reverse("services:organization_new"),
        {"name": "West Side Peacekeepers", "description": "", "organization": str(org_b.pk)},
    )
    entry = DirectoryOrganization.objects.get()
    assert response.status_code == 302
    assert entry.organization == org_b
    bad = client.post(
        reverse("services:organization_edit", args=[entry.pk]),
        {"name": "", "website": "peacekeepers"},
    )
    assert bad.status_code == 400
    entry.refresh_from_db()
    assert entry.name == "West Side Peacekeepers"


def test_an_organization_admin_cannot_relink_their_entry(client_for, olivia, entry_a, org_b):
    client = client_for(olivia)
    response = client.post(
        reverse("services:organization_edit", args=[entry_a.pk]),
        {"name": "Southside Bridges Inc.", "organization": str(org_b.pk)},
    )
    assert response.status_code == 302
    entry_a.refresh_from_db()
    assert entry_a.name == "Southside Bridges Inc."
    assert entry_a.organization.name == "Southside Bridges"


def test_upload_an_hsds_file(client_for, dana):
    raw = (EXAMPLES_DIR / "service_full.json").read_text()
    upload = SimpleUploadedFile("directory.json", f"[{raw}]".encode(), "application/json")
    response = client_for(dana).post(reverse("services:import"), {"file": upload}, follow=True)
    assert "Imported: 1 new services, 0 updated, 0 unchanged." in response.content.decode()
    assert Service.objects.get().name == "Community Counselling"


def test_an_invalid_upload_lists_every_problem_and_imports_nothing(client_for, dana):
    service = json.loads((EXAMPLES_DIR / "service_full.json").read_text())
    service["status"] = "open"
    del service["organization"]["name"]
    upload = SimpleUploadedFile("directory.json", json.dumps([service]).encode())
    response = client_for(dana).post(reverse("services:import"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported: the file has 2 problems." in page
    assert "$[0].status" in page and "$[0].organization" in page
    assert "Required property missing: name." in page
    assert not Service.objects.exists()


def test_download_the_directory_as_hsds(client_for, olivia, entry_a):
    directory_service(name="Job club", organization=entry_a, needs=("employment",))
    response = client_for(olivia).get(reverse("services:export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert [s["name"] for s in data] == ["Job club"]
    assert all(schema_problems(s) == [] for s in data)
    assert AuditEvent.objects.filter(action="export").exists()


def test_detail_offers_editing_to_those_who_may(client_for, olivia, entry_a, service_b):
    ours = directory_service(name="Job club", organization=entry_a)
    client = client_for(olivia)
    assert "Edit service" in client.get(reverse("services:detail", args=[ours.pk])).content.decode()
    theirs = client.get(reverse("services:detail", args=[service_b.pk])).content.decode()
    assert "Edit service" not in theirs


def test_a_role_without_the_directory_gets_403(client_for, eve, service_b):
    client = client_for(eve)
    assert client.get(reverse("services:search")).status_code == 403
    assert client.get(reverse("services:detail", args=[service_b.pk])).status_code == 403


def test_a_trainer_has_no_directory(client_for, convener, service_b):
    trainer = member(convener, Role.TRAINER, "trainer@example.org")
    assert client_for(trainer).get(reverse("services:search")).status_code == 403


def test_directory_text_is_not_cut_by_the_browser_and_too_long_is_refused(
    client_for, dana, entry_a
):
    """As on every form: the browser's maxlength cuts pasted text without a word; the
    limit is said, and a longer text is refused with all of it shown again."""
    client = client_for(dana)
    page = client.get(reverse("services:new")).content.decode()
    name_input = re.search(r'<input[^>]*name="name"[^>]*>', page).group(0)
    assert "maxlength" not in name_input
    limit = Service._meta.get_field("name").max_length
    assert f"At most {limit} characters." in page

    before = directory_rows()
    too_long = "Legal aid " * (limit // 10 + 1)
    response = client.post(reverse("services:new"), valid_form(entry_a, name=too_long))
    assert response.status_code == 400
    assert "name" in response.context["form"].errors
    assert too_long.strip() in response.content.decode()
    assert directory_rows() == before
