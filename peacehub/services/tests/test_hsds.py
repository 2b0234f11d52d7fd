"""HSDS 3.0: the official examples validate, imports are all-or-nothing and idempotent,
and an export validates and imports back into an empty directory unchanged."""

import copy
import io
import json

import pytest
from django.core.management import CommandError, call_command

from peacehub.audit.models import AuditEvent
from peacehub.services.hsds import (
    EXAMPLES_DIR,
    ImportInvalid,
    directory_export,
    import_plan,
    read_json,
    schema_problems,
    service_to_hsds,
    services_for_export,
)
from peacehub.services.models import Language, Location, Phone, Service, need_term_id
from peacehub.services.services import hsds_import
from peacehub.services.tests.factories import DirectoryOrganizationFactory, directory_service
from peacehub.services.tests.snapshot import directory_clear, directory_rows

EXAMPLE_ID = "ac148810-d857-441c-9679-408f346de14b"


def example(name: str) -> dict:
    return json.loads((EXAMPLES_DIR / f"{name}.json").read_text())


@pytest.mark.parametrize(
    "example_name, object_name",
    [
        ("service_full", "service"),
        ("organization_full", "organization"),
        ("service_at_location_full", "service_at_location"),
        ("location", "location"),
    ],
)
def test_the_official_examples_validate(example_name, object_name):
    assert schema_problems(example(example_name), object_name) == []


def test_schema_problems_name_their_json_path():
    broken = example("service_full")
    broken["id"] = "not-a-uuid"
    del broken["name"]
    broken["status"] = "open"
    broken["phones"][0]["number"] = 5
    broken["service_at_locations"][0]["location"]["addresses"][0]["country"] = None
    problems = {p.path: p.message for p in schema_problems(broken, path="$[2]")}
    assert problems == {
        "$[2]": "Required property missing: name.",
        "$[2].id": "This must be a UUID.",
        "$[2].status": 'This must be one of: "active", "inactive", "defunct", '
        '"temporarily closed".',
        "$[2].phones[0].number": "This must be text.",
        "$[2].service_at_locations[0].location.addresses[0].country": "This must be text.",
    }


@pytest.mark.django_db
def test_the_official_service_example_imports_and_exports_valid_hsds():
    result = hsds_import(data=[example("service_full")])
    assert (result.services_created, result.services_updated) == (1, 0)
    service = Service.objects.get(pk=EXAMPLE_ID)
    assert service.name == "Community Counselling"
    assert (service.minimum_age, service.maximum_age) == (12, 100)
    assert service.organization.name == "Example Organization Inc."
    assert service.receiving_organization is None
    assert list(Language.objects.filter(service=service).values_list("code", flat=True)) == ["ur"]
    assert Phone.objects.get(service=service).number == '"+44 1234 234567"'
    location = Location.objects.get()
    assert (location.address_1, location.city, location.country) == (
        "1-30 Main Street",
        "MyCity",
        "US",
    )
    exported = directory_export()
    assert len(exported) == 1
    assert schema_problems(exported[0]) == []
    assert exported[0]["id"] == EXAMPLE_ID


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing():
    hsds_import(data=[example("service_full")])
    before = directory_rows()
    events = AuditEvent.objects.count()
    result = hsds_import(data=[example("service_full")])
    assert (result.services_created, result.services_updated, result.services_unchanged) == (
        0,
        0,
        1,
    )
    assert directory_rows() == before
    assert AuditEvent.objects.count() == events  # nothing changed: nothing to audit


@pytest.mark.django_db
def test_export_validates_and_imports_back_into_an_empty_directory(org_a):
    member = DirectoryOrganizationFactory(name="Southside Bridges", organization=org_a)
    directory_service(
        name="GED classes en español",
        description="Clases de GED por la tarde.",
        organization=member,
        needs=("education", "employment"),
        languages=("en", "es"),
        areas=(68, 67),
        location_area=68,
        minimum_age=17,
        maximum_age=24,
        url="https://bridges.example.org/ged",
        email="ged@bridges.example.org",
    )
    directory_service(name="Shelter", needs=("housing",), areas=(25,), phone="")
    hsds_import(data=[example("service_full")])
    exported = directory_export()
    assert len(exported) == 3
    for obj in exported:
        assert schema_problems(obj) == []
    before = directory_rows(timestamps=False)

    directory_clear()
    assert not Service.objects.exists()
    result = hsds_import(data=json.loads(json.dumps(exported)))

    assert result.services_created == 3
    assert directory_rows(timestamps=False) == before
    receiving = Service.objects.get(name="GED classes en español").receiving_organization
    assert receiving == org_a


@pytest.mark.django_db
def test_an_invalid_file_imports_nothing_and_reports_every_problem():
    directory_service(name="Already here")
    before = directory_rows()
    events = AuditEvent.objects.count()
    good = example("service_full")
    bad = {
        "id": "0b9f7c7e-1111-4a4a-9a9a-000000000001",
        "name": "x" * 201,
        "status": "active",
        "minimum_age": 30,
        "maximum_age": 20,
        "email": "someone@",  # an "email" to the schema, not to PeaceHub
        "organization": good["organization"],
        # Already the first service's phone.
        "phones": [{"id": good["phones"][0]["id"], "number": "(773) 555-0100"}],
        "service_areas": [
            {
                "id": "0b9f7c7e-1111-4a4a-9a9a-000000000004",
                "attributes": [
                    {
                        "id": "0b9f7c7e-1111-4a4a-9a9a-000000000002",
                        "taxonomy_term": {
                            "id": "0b9f7c7e-1111-4a4a-9a9a-000000000003",
                            "code": "99",
                            "name": "Atlantis",
                            "description": "",
                            "taxonomy": "peacehub-community-areas",
                        },
                    }
                ],
            }
        ],
    }
    wrong_schema = copy.deepcopy(good)
    wrong_schema["id"] = "oops"
    with pytest.raises(ImportInvalid) as raised:
        hsds_import(data=[good, bad, wrong_schema])
    problems = {p.path: p.message for p in raised.value.problems}
    assert problems == {
        "$[2].id": "This must be a UUID.",
        "$[1].name": "Keep this to 200 characters at most (it has 201).",
        "$[1].email": "Enter a valid email address.",
        "$[1].maximum_age": "The maximum age is below the minimum age.",
        "$[1].phones[0].id": "This id is already used by another service's phone, at "
        "$[0].phones[0].",
        "$[1].service_areas[0].attributes[0].taxonomy_term.code": "No community area has "
        "the number 99.",
    }
    assert directory_rows() == before
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_references_to_unknown_objects_are_problems():
    service = example("service_full")
    del service["organization"]
    service["organization_id"] = "0b9f7c7e-1111-4a4a-9a9a-000000000009"
    service["service_at_locations"] = [
        {"id": "0b9f7c7e-1111-4a4a-9a9a-00000000000a", "location_id": service["id"]}
    ]
    service["attributes"] = [
        {
            "id": "0b9f7c7e-1111-4a4a-9a9a-00000000000b",
            "taxonomy_term_id": "0b9f7c7e-1111-4a4a-9a9a-00000000000c",
        }
    ]
    with pytest.raises(ImportInvalid) as raised:
        import_plan([service])
    assert [p.path for p in raised.value.problems] == [
        "$[0].organization_id",
        "$[0].service_at_locations[0].location_id",
        "$[0].attributes[0].taxonomy_term_id",
    ]


@pytest.mark.django_db
def test_reimport_updates_the_service_and_drops_what_the_file_no_longer_lists():
    hsds_import(data=[example("service_full")])
    changed = example("service_full")
    changed["name"] = "Community Counselling (renamed)"
    changed["phones"] = []
    changed["languages"][0]["code"] = "spa"
    changed["attributes"] = [
        {
            "id": "0b9f7c7e-1111-4a4a-9a9a-0000000000aa",
            "taxonomy_term_id": str(need_term_id("mental_health")),
        }
    ]
    result = hsds_import(data=[changed])
    assert (result.services_created, result.services_updated) == (0, 1)
    service = Service.objects.get(pk=EXAMPLE_ID)
    assert service.name == "Community Counselling (renamed)"
    assert not service.phones.exists()
    assert list(service.languages.values_list("code", flat=True)) == ["es"]
    assert [n.value for n in Service.objects.for_listing().get(pk=service.pk).needs] == [
        "mental_health"
    ]
    assert (
        service_to_hsds(services_for_export().get(pk=service.pk))["attributes"][0]["taxonomy_term"][
            "taxonomy"
        ]
        == "peacehub-needs"
    )


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"{not json", "The file is not valid JSON: see line 1, column 2."),
        (b'["\xff"]', "The file is not valid JSON: see its encoding (use UTF-8)."),
        (b"[NaN]", "The file is not valid JSON: see the value NaN."),
    ],
)
def test_a_file_that_is_not_json_is_one_clear_problem(raw, message):
    with pytest.raises(ImportInvalid) as raised:
        read_json(raw)
    assert [str(p.message) for p in raised.value.problems] == [message]


@pytest.mark.django_db
def test_a_file_must_hold_an_array_of_services():
    with pytest.raises(ImportInvalid) as raised:
        import_plan(example("service_full"))
    assert raised.value.problems[0].path == "$"


@pytest.mark.django_db
def test_the_commands_export_and_import(tmp_path):
    directory_service(name="Food pantry", needs=("public_benefits",), areas=(68,))
    path = tmp_path / "directory.json"
    call_command("export_hsds", output=path, stderr=io.StringIO())
    data = json.loads(path.read_text())
    assert [s["name"] for s in data] == ["Food pantry"]
    directory_clear()
    out = io.StringIO()
    call_command("import_hsds", path, stdout=out)
    assert "1 new services" in out.getvalue()
    assert Service.objects.get().name == "Food pantry"

    data[0]["status"] = "closed"
    path.write_text(json.dumps(data))
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported: 1 problem"):
        call_command("import_hsds", path, stderr=err)
    assert "$[0].status" in err.getvalue()


@pytest.mark.django_db
def test_a_service_that_only_lost_a_phone_counts_as_updated():
    hsds_import(data=[example("service_full")])
    before = Service.objects.get(pk=EXAMPLE_ID).updated_at
    changed = example("service_full")
    changed["phones"] = []
    result = hsds_import(data=[changed])
    assert (result.services_created, result.services_updated) == (0, 1)
    assert Service.objects.get(pk=EXAMPLE_ID).updated_at > before
    assert AuditEvent.objects.filter(record_type="services.hsds_import").count() == 2
