"""The search columns again, for names with an apostrophe: "D'Angelo" now also keeps
"dangelo", so that "DAngelo" or "Dangelo" finds it (peacehub.people.search)."""

from django.db import migrations

BATCH = 2000


def recompute_search_columns(apps, schema_editor):
    # The current rule, on purpose: these columns are derived, and always hold what the
    # search of the running code expects.
    from peacehub.people.search import search_columns

    Person = apps.get_model("people", "Person")
    people = Person.objects.only(
        "pk",
        "legal_first_name",
        "legal_last_name",
        "preferred_name",
        "nicknames",
        "search_text",
        "search_codes",
    ).order_by("pk")
    changed = []
    for person in people.iterator(chunk_size=BATCH):
        text, codes = search_columns(
            person.legal_first_name, person.legal_last_name, person.preferred_name, person.nicknames
        )
        if (text, codes) != (person.search_text, person.search_codes):
            person.search_text, person.search_codes = text, codes
            changed.append(person)
        if len(changed) >= BATCH:
            Person.objects.bulk_update(changed, ["search_text", "search_codes"])
            changed = []
    if changed:
        Person.objects.bulk_update(changed, ["search_text", "search_codes"])


class Migration(migrations.Migration):
    dependencies = [("people", "0003_person_case_manager_person_outreach_worker")]

    operations = [migrations.RunPython(recompute_search_columns, migrations.RunPython.noop)]
