"""Typed readers for environment variables.

Every setting that varies between machines is read here, once, and a bad value stops
the process at start-up with a message naming the variable (never a silent default).
"""

import importlib
import os
import sys
from urllib.parse import unquote, urlsplit


class ConfigurationError(RuntimeError):
    pass


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ConfigurationError(f"Environment variable {name} must be set.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name}={value!r} is not a boolean (use true or false).")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigurationError(f"{name}={value!r} is not a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """Turn a DATABASE_URL (postgres://user:pass@host:port/name or sqlite:///path)
    into a Django DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme in {"postgres", "postgresql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ConfigurationError(
                "DATABASE_URL must name a database, e.g. postgres:///peacehub."
            )
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if not path or path == "/":
            raise ConfigurationError(
                "DATABASE_URL must give a file, e.g. sqlite:///var/peacehub.sqlite3."
            )
        # sqlite:///relative/path or sqlite:////absolute/path, as dj-database-url reads them.
        return sqlite_database(path[1:])
    raise ConfigurationError(f"DATABASE_URL scheme {parts.scheme!r} is not supported.")


def sqlite_database(path: str) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        # Opening a connection costs ~4 ms (pragmas, schema parsing): keep it per worker.
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            # IMMEDIATE makes every transaction take the write lock at BEGIN, so two
            # writers queue instead of failing when one upgrades a read lock.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            # optimize=0x10002 on opening keeps the planner's statistics fresh, which
            # the large tables (contacts) need to pick their indexes.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                "PRAGMA optimize=0x10002;"
            ),
        },
    }


# SQLite before 3.42 (Debian 12 ships 3.40.1) returns wrong rows, once the planner has
# statistics, for an IN on one column of an index followed by a range or an ORDER BY on
# the next: a caseload showed the wrong "next goal" for one case in thirty, and a
# supervisor twice the overdue goals there were (tests/test_database_engine.py).
SQLITE_MINIMUM = (3, 42, 0)


def use_current_sqlite() -> None:
    """Serve SQLite through pysqlite3 (the pysqlite3-binary package bundles a current
    SQLite) when the interpreter's own is too old; fail loudly when neither will do.
    Runs before Django loads its SQLite backend, which imports ``sqlite3``."""
    import sqlite3

    if sqlite3.sqlite_version_info >= SQLITE_MINIMUM:
        return
    try:
        bundled = importlib.import_module("pysqlite3")
        dbapi2 = importlib.import_module("pysqlite3.dbapi2")
    except ImportError:
        bundled = None
    if bundled is None or bundled.sqlite_version_info < SQLITE_MINIMUM:
        wanted = ".".join(map(str, SQLITE_MINIMUM))
        raise ConfigurationError(
            f"SQLite {sqlite3.sqlite_version} returns wrong results for some of PeaceHub's "
            f"queries; SQLite {wanted} or newer is needed. Install pysqlite3-binary "
            "(pip install pysqlite3-binary), or use PostgreSQL (DATABASE_URL)."
        )
    sys.modules["sqlite3"] = bundled
    sys.modules["sqlite3.dbapi2"] = dbapi2
