"""Plain-tuple bulk inserts, for the demo's largest table.

`bulk_create` builds a model instance for every row and prepares every value through
the field API, which at a million contacts is most of the run. `insert_rows` takes
tuples of Python values in the order of `fields`, converts each column with the same
conversion the field itself does (chosen once per column, not per value), and hands
them to the driver's executemany (SQLite's runs in C; psycopg's sends a batch in one
pipeline). Works on SQLite and PostgreSQL alike; the caller makes sure no row exists
already (a duplicate is an IntegrityError, never silently dropped).
"""

from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import connections, models, router


def _converter(field: models.Field, connection) -> Callable[[Any], Any] | None:
    """A function from a Python value to the value the driver gets; None: unchanged."""
    target = field.target_field if field.is_relation else field
    if isinstance(target, models.UUIDField):
        if connection.features.has_native_uuid_field:
            return None
        return lambda value: None if value is None else value.hex
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    if type(target) in (
        models.CharField,
        models.TextField,
        models.IntegerField,
        models.PositiveSmallIntegerField,
        models.PositiveIntegerField,
        models.SmallIntegerField,
        models.BigIntegerField,
        models.AutoField,
        models.BigAutoField,
        models.BooleanField,
    ):
        return None
    # Anything else (JSON, encrypted text): the field's own preparation, skipping the
    # empty string, which every text field stores as is.
    prepare = field.get_db_prep_save
    return lambda value: value if value == "" else prepare(value, connection)


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    batch_size: int = 5000,
) -> int:
    """Insert rows of values for `fields` (attribute names, e.g. "person_id") into the
    model's table. Returns how many rows were inserted."""
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    columns = [meta.get_field(name.removesuffix("_id")) for name in fields]
    for name, column in zip(fields, columns, strict=True):
        if column.attname != name:
            raise ValueError(f"{model.__name__} has no column {name!r}.")
    converters = [(k, c) for k, f in enumerate(columns) if (c := _converter(f, connection))]
    sql = "{} {} ({}) VALUES ({})".format(
        connection.ops.insert_statement(),
        connection.ops.quote_name(meta.db_table),
        ", ".join(connection.ops.quote_name(f.column) for f in columns),
        ", ".join(["%s"] * len(columns)),
    )
    inserted = 0
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(islice(iterator, batch_size)):
            if converters:
                prepared = []
                for row in batch:
                    values = list(row)
                    for k, convert in converters:
                        values[k] = convert(values[k])
                    prepared.append(values)
                batch = prepared
            cursor.executemany(sql, batch)
            inserted += len(batch)
    return inserted
