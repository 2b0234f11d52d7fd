"""The SQLite that PeaceHub runs on answers its queries correctly.

SQLite 3.40 (Debian 12's) returns wrong rows, once ANALYZE has run, for an IN on one
column of an index followed by an ORDER BY or a range on the next one: the caseload's
"next goal" came out wrong for one case in thirty. PeaceHub then serves SQLite through
pysqlite3 (peacehub/env.py: use_current_sqlite)."""

import datetime
import random

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the engine under test is SQLite"
)


def _goals_database():
    """Goals shaped as cases_goal is: several per case, indexed (case, status, date)."""
    from django.db.backends.sqlite3.base import Database

    database = Database.connect(":memory:")
    database.execute("CREATE TABLE goal (id INTEGER PRIMARY KEY, case_id, status, target_date)")
    database.execute("CREATE INDEX goal_case_status_date ON goal (case_id, status, target_date)")
    draw = random.Random(1)
    start = datetime.date(2026, 6, 1)
    rows = [
        (
            f"case-{case:04d}",
            draw.choice(["not_started", "in_progress", "met", "dropped"]),
            (start + datetime.timedelta(days=draw.randint(0, 400))).isoformat(),
        )
        for case in range(600)
        for _ in range(draw.randint(1, 5))
    ]
    database.executemany("INSERT INTO goal (case_id, status, target_date) VALUES (?, ?, ?)", rows)
    database.execute("ANALYZE")
    return database, rows


def test_the_next_open_goal_of_each_case_is_its_earliest():
    database, rows = _goals_database()
    earliest: dict[str, str] = {}
    for case, status, day in rows:
        if status in ("not_started", "in_progress"):
            earliest[case] = min(day, earliest.get(case, day))
    found = dict(
        database.execute(
            "SELECT c.case_id, (SELECT g.target_date FROM goal g WHERE g.case_id = c.case_id"
            " AND g.status IN ('not_started', 'in_progress') ORDER BY g.target_date LIMIT 1)"
            " FROM (SELECT DISTINCT case_id FROM goal) c"
        )
    )
    wrong = {case: day for case, day in found.items() if day != earliest.get(case)}
    assert wrong == {}


def test_the_engine_is_one_that_has_the_fix():
    from django.db.backends.sqlite3.base import Database

    assert Database.sqlite_version_info >= (3, 42, 0)
