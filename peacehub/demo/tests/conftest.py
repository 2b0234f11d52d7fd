import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction

SEEDED_PEOPLE = 100


def seed(people=60, **options) -> str:
    out = io.StringIO()
    call_command("seed_demo", people=people, stdout=out, **options)
    return out.getvalue()


def table_counts() -> dict[str, int]:
    """Rows in every table of every installed model (whose table exists)."""
    tables = set(connection.introspection.table_names())
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.db_table in tables
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One demo of SEEDED_PEOPLE participants shared by the read-only tests of a module,
    rolled back when the module is done (each test runs in a savepoint inside it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = seed(people=SEEDED_PEOPLE)
        yield output
        transaction.set_rollback(True)
