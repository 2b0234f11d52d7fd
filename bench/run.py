"""make bench: the throughput of PeaceHub's busiest pages, as a ratio to a bare Django
view measured on the same server in the same run.

It builds (or reuses) a seeded bench database, serves it with gunicorn as production
does, signs in as the demo users, loads each measured page with wrk for a fixed time,
and does the same for /healthz between measurements. A measurement's ratio is its
requests per second over the mean of the two baseline runs on either side of it, so a
machine that slows down or speeds up during the run moves both figures together.
bench/README.md says what each number means; `python bench/run.py --help` lists the
options (each can also be given as an environment variable, for `make bench`).

To add a measurement, write the function that returns its requests and add one
`Measurement(...)` line to MEASUREMENTS.
"""

import argparse
import datetime
import hashlib
import http.client
import json
import os
import re
import resource
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VAR = ROOT / "var" / "bench"
RESULTS = BENCH / "results.json"
RESULTS_POSTGRES = BENCH / "results-postgresql.json"
PYTHON = Path(sys.executable)
GUNICORN = PYTHON.parent / "gunicorn"
DEFAULT_PEOPLE = 20_000
QUICK_PEOPLE = 2_000
DEMO_DOMAIN = "demo.peacehub.test"
DEMO_PASSWORD = "peace-demo-2026"  # noqa: S105 (peacehub.demo.coalition.DEMO_PASSWORD)
TARGET_RATIO = 0.3
# What the seed's content depends on: a change to any of these builds a new database.
SEED_SOURCES = ("peacehub/demo/**/*.py", "peacehub/**/migrations/*.py")


# --- Measurements -------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    form: dict | None = None


@dataclass
class Context:
    """What the bench knows of the seeded database when it builds the requests."""

    counts: dict
    logins: dict
    local_now: datetime.datetime
    warnings: list[str] = field(default_factory=list)

    def participants(self, login: str) -> list[dict]:
        """The login's own open participants (outreach worker or case manager), each
        {"id", "community_area"}; while the seed assigns none, people of the login's
        organizations stand in, with a warning."""
        known = self.logins[email_of(login)]
        if known["participants"]:
            return known["participants"]
        warning = (
            f"{email_of(login)} has no participants of their own in this seed: "
            f"using {len(known['organization_people'])} of their organization's people."
        )
        if warning not in self.warnings:
            self.warnings.append(warning)
        return known["organization_people"]


@dataclass(frozen=True)
class Measurement:
    """One page or action: who does it (a demo sign-in's local part, or None for an
    anonymous visitor), the requests sent in rotation, and the status every response
    must have (anything else is an error). POSTs carry the CSRF token of `form_page`."""

    name: str
    login: str | None
    requests: Callable[[Context], list[Request]]
    expect: int = 200
    form_page: str | None = None
    # A count in django_side.py's `info` for the login that each expected response adds
    # one to: checked after the run.
    adds: str | None = None


def worker_home(ctx: Context) -> list[Request]:
    ctx.participants("outreach")  # only to warn when the page would list nobody
    return [Request("GET", "/outreach/")]


def quick_log(ctx: Context) -> list[Request]:
    """A contact with each of the worker's participants in turn, logged an hour ago in
    the participant's community area, as the form would send it."""
    when = (ctx.local_now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    return [
        Request(
            "POST",
            "/outreach/contacts/new/",
            {
                "person": person["id"],
                "non_participant": "",
                "contact_type": "street",
                "occurred_at": when,
                "community_area": person["community_area"] or "",
                "minutes": "15",
                "topics": ["safety", "employment"],
                "note": "Checked in after the weekend. Calm; asked about the job program.",
                "follow_up_by": "",
            },
        )
        for person in ctx.participants("outreach")
    ]


def caseload(ctx: Context) -> list[Request]:
    ctx.participants("casemanager")  # only to warn when the page would list nobody
    return [Request("GET", "/cases/")]


def directory_search(ctx: Context) -> list[Request]:
    """The searches a case manager runs before a referral: by need, area and language,
    and by a word."""
    return [
        Request("GET", "/services/?need=housing&area=68&language=es"),
        Request("GET", "/services/?need=legal"),
        Request("GET", "/services/?need=employment&area=67"),
        Request("GET", "/services/?q=ged"),
    ]


BASELINE = Measurement("baseline", None, lambda ctx: [Request("GET", "/healthz")])

# They run in this order, each for all its rounds before the next: pages that only read
# come first, so that the rows a POST measurement adds do not change what they show.
MEASUREMENTS = [
    # Not a page: the floor every signed-in request pays (session, user, the database
    # connection), to read the other ratios against.
    Measurement("signed_in_healthz", "outreach", lambda ctx: [Request("GET", "/healthz")]),
    Measurement("worker_home", "outreach", worker_home),
    Measurement("caseload", "casemanager", caseload),
    Measurement("directory_search", "casemanager", directory_search),
    Measurement(
        "quick_log",
        "outreach",
        quick_log,
        expect=302,
        form_page="/outreach/contacts/new/",
        adds="contacts_logged",
    ),
]


def email_of(login: str) -> str:
    return f"{login}@{DEMO_DOMAIN}"


# --- Options --------------------------------------------------------------------------


def gunicorn_shape(args) -> str:
    if args.worker_class == "gthread":
        return f"{args.workers} gthread workers x {args.threads} threads"
    return f"{args.workers} {args.worker_class} workers"


def options() -> argparse.Namespace:
    def env(name, default):
        return os.environ.get(f"BENCH_{name}", default)

    def flag(name):
        return env(name, "").lower() in {"1", "true", "yes"}

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--people",
        type=int,
        default=int(env("PEOPLE", 0)) or None,
        help=f"participants in the bench database (BENCH_PEOPLE; default {DEFAULT_PEOPLE:,})",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        default=flag("QUICK"),
        help=f"try the harness: {QUICK_PEOPLE:,} people, 5 s runs (BENCH_QUICK=1)",
    )
    parser.add_argument(
        "--rebuild",
        action="store_true",
        default=flag("REBUILD"),
        help="seed the bench database again even if it is current (BENCH_REBUILD=1)",
    )
    parser.add_argument(
        "--reuse-seed",
        action="store_true",
        default=flag("REUSE_SEED"),
        help="serve the last seeded database of this size even if the seed code or the "
        "migrations changed since, e.g. while someone is editing them (BENCH_REUSE_SEED=1)",
    )
    parser.add_argument(
        "--only",
        default=env("ONLY", ""),
        help="comma-separated measurements to run (BENCH_ONLY; default all: "
        + ", ".join(m.name for m in MEASUREMENTS)
        + ")",
    )

    parser.add_argument(
        "--duration",
        type=float,
        default=float(env("DURATION", 0)) or None,
        help="seconds of each measured run (BENCH_DURATION; 10, quick 5)",
    )
    parser.add_argument(
        "--warmup",
        type=float,
        default=float(env("WARMUP", -1)),
        help="seconds of warm-up before each run (BENCH_WARMUP; 2, quick 1)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=int(env("ROUNDS", 0)) or None,
        help="measured runs of each measurement, each between two baseline runs; medians "
        "are kept (BENCH_ROUNDS; 3, quick 1)",
    )
    parser.add_argument(
        "--connections",
        type=int,
        default=int(env("CONNECTIONS", 8)),
        help="concurrent connections of the load generator (BENCH_CONNECTIONS; 8)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=int(env("WORKERS", 3)),
        help="gunicorn worker processes (BENCH_WORKERS; 3)",
    )
    parser.add_argument(
        "--worker-class",
        choices=["sync", "gthread"],
        default=env("WORKER_CLASS", "sync"),
        help="gunicorn worker class (BENCH_WORKER_CLASS; sync)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=int(env("THREADS", 4)),
        help="threads per worker, for gthread only (BENCH_THREADS; 4)",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        default=flag("KEEP"),
        help="keep the run's copy of the database (BENCH_KEEP=1)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=Path(env("OUTPUT", "")) if env("OUTPUT", "") else None,
        help="where the results go (BENCH_OUTPUT; bench/results.json for a full run, "
        "var/bench/results.json for any other)",
    )
    args = parser.parse_args()
    args.people = args.people or (QUICK_PEOPLE if args.quick else DEFAULT_PEOPLE)
    args.duration = args.duration or (5.0 if args.quick else 10.0)
    args.warmup = args.warmup if args.warmup >= 0 else (1.0 if args.quick else 2.0)
    args.rounds = args.rounds or (1 if args.quick else 3)
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = set(names) - {m.name for m in MEASUREMENTS}
    if unknown:
        parser.error(f"no measurement named {', '.join(sorted(unknown))}")
    args.measurements = [m for m in MEASUREMENTS if not names or m.name in names]
    full = args.people == DEFAULT_PEOPLE and not names and not args.quick
    # A full run's figures are committed: SQLite's (the default) in results.json, and
    # PostgreSQL's beside them, so that neither replaces the other.
    committed = (
        RESULTS_POSTGRES if os.environ.get("DATABASE_URL", "").startswith("postgres") else RESULTS
    )
    args.output = args.output or (committed if full else VAR / "results.json")
    return args


# --- The bench database ---------------------------------------------------------------


def say(message: str) -> None:
    print(message, flush=True)


def run(command: list, env: dict, **kwargs) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, env=env, cwd=ROOT, check=True, **kwargs)  # noqa: S603
    except subprocess.CalledProcessError as error:
        if error.stderr:
            sys.stderr.write(error.stderr)
        shown = " ".join([Path(command[0]).name, *map(str, command[1:])])
        raise SystemExit(f"bench: `{shown}` failed (exit status {error.returncode}).") from None


def manage(env: dict, *arguments: str, quiet: bool = False) -> None:
    output = subprocess.DEVNULL if quiet else None
    run([PYTHON, "manage.py", *arguments], env, stdout=output)


def django_side(env: dict, *arguments: str) -> dict:
    done = run([PYTHON, BENCH / "django_side.py", *arguments], env, capture_output=True, text=True)
    return json.loads(done.stdout)


def key_file(name: str, make: Callable[[], str]) -> str:
    path = VAR / name
    if not path.exists():
        path.write_text(make() + "\n")
    return path.read_text().strip()


def fernet_key() -> str:
    from base64 import urlsafe_b64encode

    return urlsafe_b64encode(secrets.token_bytes(32)).decode()


def seed_key(people: int, field_key: str) -> str:
    """A digest of everything the seeded database depends on."""
    digest = hashlib.sha256(f"people={people}\n".encode())
    digest.update(hashlib.sha256(field_key.encode()).digest())
    files = sorted({p for pattern in SEED_SOURCES for p in ROOT.glob(pattern)})
    for path in files:
        if "tests" in path.relative_to(ROOT).parts:
            continue
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@dataclass
class Database:
    env: dict
    describe: str
    cleanup: Callable[[list[str], str], None]


# The seed dates its people from the day it runs; an old seed has no recent incidents.
SEED_MAX_AGE = datetime.timedelta(days=7)


def seed(env: dict, people: int) -> float:
    started = time.monotonic()
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "seed_demo", "--people", str(people), quiet=True)
    return time.monotonic() - started


def seed_is_current(meta_path: Path, key: str) -> bool:
    if not meta_path.exists():
        return False
    meta = json.loads(meta_path.read_text())
    built = datetime.date.fromisoformat(meta["built_on"])
    return meta.get("key") == key and datetime.date.today() - built <= SEED_MAX_AGE


def sqlite_database(args, env: dict, key: str) -> Database:
    """The seeded database is kept as var/bench/seed-<people>-<key>.sqlite3 and each run
    serves a fresh copy of it, so every run starts from the same rows whatever the
    previous one wrote."""
    seed_path = VAR / f"seed-{args.people}-{key}.sqlite3"
    older = sorted(VAR.glob(f"seed-{args.people}-*.sqlite3"), key=lambda p: p.stat().st_mtime)
    if args.reuse_seed and not args.rebuild and not seed_path.exists() and older:
        seed_path = older[-1]
        say(f"Reusing {seed_path.name} although the seed code changed since (--reuse-seed).")
    meta_path = seed_path.with_suffix(".json")
    if (
        args.rebuild
        or not seed_path.exists()
        or not (args.reuse_seed or seed_is_current(meta_path, key))
    ):
        build = VAR / "build"
        shutil.rmtree(build, ignore_errors=True)
        build.mkdir(parents=True)
        say(f"Seeding a bench database of {args.people:,} people (once per seed version)…")
        seconds = seed({**env, "PEACEHUB_VAR_DIR": str(build)}, args.people)
        built = build / "peacehub.sqlite3"
        with sqlite3.connect(built) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        for old in VAR.glob(f"seed-{args.people}-*"):  # earlier versions of this size
            old.unlink()
        built.replace(seed_path)
        shutil.rmtree(build)
        meta_path.write_text(
            json.dumps(
                {
                    "key": key,
                    "built_on": datetime.date.today().isoformat(),
                    "people": args.people,
                    "seed_seconds": round(seconds, 1),
                }
            )
        )
        say(f"Seeded in {seconds:.0f} s.")
    elif seed_path.stem.endswith(key):
        say(f"Reusing {seed_path.relative_to(ROOT)} (seed code unchanged).")
    args.seed_current = seed_path.stem.endswith(key)
    run_dir = VAR / "run"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir()
    shutil.copyfile(seed_path, run_dir / "peacehub.sqlite3")
    return Database(
        env={**env, "PEACEHUB_VAR_DIR": str(run_dir)},
        describe=f"SQLite, a fresh copy of {seed_path.name}",
        cleanup=lambda emails, since: None if args.keep else shutil.rmtree(run_dir),
    )


def postgres_database(args, env: dict, key: str) -> Database:
    """DATABASE_URL names a database the bench may empty: it is seeded in place, emptied
    (its public schema dropped) and seeded again when the seed changes, only if it
    holds nothing but demo data; the contacts the run logged are deleted at the end."""
    url = urlsplit(env["DATABASE_URL"])
    where = f"{url.hostname}:{url.port or 5432}{url.path}"
    meta_path = VAR / f"postgres-{hashlib.sha256(where.encode()).hexdigest()[:12]}.json"
    reuse = args.reuse_seed and meta_path.exists()
    if args.rebuild or not (reuse or seed_is_current(meta_path, key)):
        manage(env, "migrate", "--no-input", "-v0")
        check = django_side(env, "demo-only")
        if not check["demo_only"]:
            sys.exit(
                f"{where} holds organizations the demo did not create "
                f"({', '.join(check['other_organizations'])}): the bench will not empty it. "
                "Point DATABASE_URL at a database of its own."
            )
        say(f"Emptying and seeding {where} with {args.people:,} people…")
        django_side(env, "reset")
        seconds = seed(env, args.people)
        meta_path.write_text(
            json.dumps(
                {
                    "key": key,
                    "built_on": datetime.date.today().isoformat(),
                    "people": args.people,
                    "seed_seconds": round(seconds, 1),
                }
            )
        )
        say(f"Seeded in {seconds:.0f} s.")
    else:
        manage(env, "migrate", "--no-input", "-v0")
        say(f"Reusing the seeded PostgreSQL database {where}.")
    args.seed_current = not args.reuse_seed or seed_is_current(meta_path, key)

    def cleanup(emails: list[str], since: str) -> None:
        deleted = django_side(env, "cleanup", "--since", since, *emails)["deleted"]
        say(f"Deleted the {deleted:,} contacts the run logged (its audit events stay).")

    return Database(env=env, describe=f"PostgreSQL {where}", cleanup=cleanup)


# --- The server -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn serving peacehub.wsgi on a free local port."""

    def __init__(self, env: dict, args, log: Path):
        self.port = free_port()
        self.log = log
        command = [
            GUNICORN, "peacehub.wsgi",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(args.workers),
            "--worker-class", args.worker_class,
            *(["--threads", str(args.threads)] if args.worker_class == "gthread" else []),
            "--timeout", "120",
            "--error-logfile", str(log),
            # gunicorn's control socket has one default path for every server.
            "--no-control-socket",
        ]  # fmt: skip
        self.process = subprocess.Popen(  # noqa: S603
            command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
        self.wait_ready()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log}")
            try:
                if Client(self.port).request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise SystemExit(f"gunicorn did not answer /healthz in {timeout:.0f} s; see {self.log}")

    def worker_pids(self) -> list[int]:
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return pids

    def cpu_seconds(self) -> float:
        """CPU time used so far by the master and its workers."""
        total = 0
        for pid in [self.process.pid, *self.worker_pids()]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --- A client for signing in -----------------------------------------------------------


class Client:
    """Just enough of a browser to sign in and pick up the cookies and CSRF token."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def headers(self) -> dict:
        headers = {"Origin": f"http://127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def request(self, method: str, path: str, form: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = self.headers()
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.headers, content

    def csrf_token(self, path: str) -> str:
        status, _, content = self.request("GET", path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if status != 200 or not found:
            raise SystemExit(f"GET {path} answered {status} without a CSRF token")
        return found.group(1)

    def sign_in(self, email: str) -> None:
        token = self.csrf_token("/accounts/sign-in/")
        form = {"email": email, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token}
        status, headers, _ = self.request("POST", "/accounts/sign-in/", form)
        if status != 302 or "sign-in" in (headers.get("Location") or ""):
            raise SystemExit(f"Signing in as {email} failed (status {status})")


# --- Load -------------------------------------------------------------------------------


def machine_busy_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, all cores together."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(values) - idle) / tick, sum(values) / tick


def database_cpu_seconds() -> float:
    """CPU seconds of this machine's PostgreSQL processes so far: each backend's own,
    and the postmaster's for the backends that have exited. 0 without a local server."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended meanwhile
            continue
        name, _, rest = text.partition(") ")
        if name.endswith("(postgres"):
            fields = rest.split()
            # utime, stime, cutime, cstime: fields 14 to 17 of stat, from the state on.
            total += sum(int(v) for v in fields[11:15])
    return total / tick


@dataclass
class Load:
    """What wrk reports for one run, and the CPU the client, the server and the whole
    machine used meanwhile."""

    rps: float
    requests: int
    statuses: dict[str, int]
    socket_errors: dict[str, int]
    latency_ms: dict[str, float]
    client_cpu: float  # cores busy: 1.0 is one core all the time
    server_cpu: float
    machine_cpu: float
    database_cpu: float = 0.0  # a local PostgreSQL's backends; 0 with SQLite

    @property
    def server_cpu_ms(self) -> float:
        """Server CPU time a request took, in milliseconds: unlike requests a second,
        it hardly depends on how much of the machine other processes took."""
        return 1000 * self.server_cpu / self.rps if self.rps else float("nan")

    @property
    def other_cpu(self) -> float:
        """Cores busy with anything but this bench: a sign the figures are noisy."""
        busy = self.client_cpu + self.server_cpu + self.database_cpu
        return max(self.machine_cpu - busy, 0.0)

    def errors(self, expect: int) -> int:
        wrong = sum(n for status, n in self.statuses.items() if status != str(expect))
        return wrong + sum(self.socket_errors.values())


def wrk(server: Server, lines: list[str], seconds: float, connections: int, database: bool) -> Load:
    with tempfile.TemporaryDirectory(prefix="peacehub-bench-") as scratch:
        requests_file, result_file = Path(scratch, "requests.tsv"), Path(scratch, "result.json")
        requests_file.write_text("\n".join(lines) + "\n")
        env = {
            **os.environ,
            "BENCH_WRK_REQUESTS": str(requests_file),
            "BENCH_WRK_RESULT": str(result_file),
        }
        command = [
            "wrk", "--threads", "1", "--connections", str(connections),
            "--duration", f"{seconds:g}s", "--timeout", "60s",
            "--script", str(BENCH / "wrk" / "replay.lua"),
            f"http://127.0.0.1:{server.port}",
        ]  # fmt: skip
        client_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        server_before = server.cpu_seconds()
        database_before = database_cpu_seconds() if database else 0.0
        busy_before, total_before = machine_busy_seconds()
        started = time.monotonic()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
        wall = time.monotonic() - started
        busy_after, total_after = machine_busy_seconds()
        database_after = database_cpu_seconds() if database else 0.0
        server_after = server.cpu_seconds()
        client_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = json.loads(result_file.read_text())
    client = (client_after.ru_utime - client_before.ru_utime) + (
        client_after.ru_stime - client_before.ru_stime
    )
    cores = os.cpu_count() or 1
    return Load(
        rps=result["requests"] / (result["duration_us"] / 1e6),
        requests=result["requests"],
        statuses=result["statuses"],
        socket_errors=result["socket_errors"],
        latency_ms={
            k: round(v / 1000, 1) for k, v in result["latency_us"].items() if v is not None
        },
        client_cpu=client / wall,
        server_cpu=(server_after - server_before) / wall,
        machine_cpu=cores * (busy_after - busy_before) / max(total_after - total_before, 1e-9),
        database_cpu=(database_after - database_before) / wall,
    )


def request_lines(client: Client | None, requests: list[Request], token: str | None) -> list[str]:
    lines = []
    if client is not None:
        lines += [f"H\t{name}\t{value}" for name, value in client.headers().items()]
    for item in requests:
        body = ""
        if item.form is not None:
            form = dict(item.form)
            if token:
                form["csrfmiddlewaretoken"] = token
            body = urlencode(form, doseq=True)
        lines.append(f"R\t{item.method}\t{item.path}\t{body}")
    return lines


@dataclass
class Prepared:
    measurement: Measurement
    lines: list[str]
    responses: int = 0  # counted by wrk, warm-ups included


def prepare(measurement: Measurement, server: Server, ctx: Context) -> Prepared:
    """Sign in (a fresh session for each measurement: sessions end after 15 idle
    minutes) and check one request of each kind before loading."""
    requests = measurement.requests(ctx)
    if not requests:
        raise SystemExit(f"{measurement.name}: no requests to send")
    client = None
    token = None
    if measurement.login:
        client = Client(server.port)
        client.sign_in(email_of(measurement.login))
        if measurement.form_page:
            token = client.csrf_token(measurement.form_page)
    return Prepared(measurement, request_lines(client, requests, token))


def load(server: Server, prepared: Prepared, args) -> Load:
    """A warm-up run, then the measured one. Fails the bench on any response with
    another status than expected, and on any socket error."""
    measurement = prepared.measurement
    runs = []
    if args.warmup:
        runs.append(wrk(server, prepared.lines, args.warmup, args.connections, args.postgres))
    measured = wrk(server, prepared.lines, args.duration, args.connections, args.postgres)
    runs.append(measured)
    say(
        f"  {measurement.name:<18} {measured.rps:8.1f} req/s"
        f"   p50 {measured.latency_ms['p50']:6.1f} ms   p95 {measured.latency_ms['p95']:6.1f} ms"
        f"   CPU: client {measured.client_cpu:4.2f}  server {measured.server_cpu:4.2f}"
        + (f"  database {measured.database_cpu:4.2f}" if args.postgres else "")
        + f"  other {measured.other_cpu:4.2f}"
    )
    for run in runs:
        if run.errors(measurement.expect):
            raise SystemExit(
                f"bench: {measurement.name} expected status {measurement.expect} for every "
                f"response; got {run.statuses}, socket errors {run.socket_errors}. "
                f"Server log: {server.log}"
            )
    prepared.responses += sum(run.requests for run in runs)
    return measured


# --- The run ----------------------------------------------------------------------------


@dataclass
class Bracket:
    """A measured run and the baseline runs just before and just after it."""

    measured: Load
    before: Load
    after: Load

    @property
    def baseline_rps(self) -> float:
        return (self.before.rps + self.after.rps) / 2

    @property
    def baseline_cpu_ms(self) -> float:
        return (self.before.server_cpu_ms + self.after.server_cpu_ms) / 2

    @property
    def other_cpu(self) -> float:
        return max(self.measured.other_cpu, self.before.other_cpu, self.after.other_cpu)


# Cores busy with other processes during a run above which its figures are flagged.
NOISE_CORES = 0.25


def main() -> None:
    args = options()
    if shutil.which("wrk") is None:
        sys.exit("bench: wrk is missing; `make bench` installs it (Debian's wrk package).")
    VAR.mkdir(parents=True, exist_ok=True)
    secret_key = key_file("secret-key", lambda: secrets.token_urlsafe(50))
    field_key = key_file("field-key", fernet_key)
    env = {
        **os.environ,
        "PEACEHUB_DEBUG": "false",
        "PEACEHUB_TESTING": "false",
        "PEACEHUB_SECRET_KEY": secret_key,
        "PEACEHUB_FIELD_KEY_FILE": str(VAR / "field-key"),
        "PEACEHUB_SECURE_COOKIES": "false",
        "PEACEHUB_LOG_LEVEL": "WARNING",
    }
    env.pop("PEACEHUB_FIELD_KEYS", None)
    key = seed_key(args.people, field_key)
    if not env.get("DATABASE_URL", "").startswith("postgres"):
        env.pop("DATABASE_URL", None)  # a SQLite URL: the bench keeps its own SQLite file
    args.postgres = bool(env.get("DATABASE_URL"))
    if args.postgres:
        database = postgres_database(args, env, key)
    else:
        database = sqlite_database(args, env, key)
    env = database.env
    manage(env, "collectstatic", "--no-input", "-v0")

    logins = sorted({email_of(m.login) for m in args.measurements if m.login})
    ctx = context(env, logins)
    say(
        f"Database: {database.describe}: {ctx.counts['people']:,} people, "
        f"{ctx.counts['contacts']:,} contacts, {ctx.counts['incidents']:,} incidents."
    )
    for email, known in ctx.logins.items():
        say(f"  {email}: {len(known['participants']):,} open participants of their own")

    started_at = datetime.datetime.now(datetime.UTC).isoformat()
    log = VAR / "gunicorn.log"
    log.unlink(missing_ok=True)
    server = Server(env, args, log)
    say(
        f"gunicorn on 127.0.0.1:{server.port}: {gunicorn_shape(args)}; wrk: 1 thread, "
        f"{args.connections} connections; {args.warmup:g} s warm-up + {args.duration:g} s "
        f"per run; {args.rounds} round(s)."
    )
    brackets: dict[str, list[Bracket]] = {m.name: [] for m in args.measurements}
    responses = {m.name: 0 for m in args.measurements}  # counted by wrk, warm-ups included
    completed = False
    audit_cost: dict = {}
    try:
        baseline = prepare(BASELINE, server, ctx)
        before = load(server, baseline, args)
        for measurement in args.measurements:
            # A fresh sign-in for each measurement: sessions end after 15 idle minutes.
            prepared = prepare(measurement, server, ctx)
            for _ in range(args.rounds):
                measured = load(server, prepared, args)
                after = load(server, baseline, args)
                brackets[measurement.name].append(Bracket(measured, before, after))
                before = after
            responses[measurement.name] = prepared.responses
        completed = True
    finally:
        server.stop()
        try:
            if completed:
                check_writes(env, logins, ctx, args, responses)
                audit_cost = django_side(env, "audit-cost", email_of("outreach"))
        finally:
            database.cleanup(logins, started_at)
    for warning in ctx.warnings:
        say(f"Note: {warning}")

    results = summarize(args, brackets, ctx.counts)
    add_floor(results, audit_cost)
    print_table(results)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    scratch = args.output.with_name(args.output.name + ".tmp")
    scratch.write_text(json.dumps(results, indent=2) + "\n")
    scratch.replace(args.output)
    shown = args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output
    say(f"Wrote {shown}.")


def context(env: dict, logins: list[str]) -> Context:
    info = django_side(env, "info", *logins)
    return Context(
        counts=info["counts"],
        logins=info["logins"],
        local_now=datetime.datetime.fromisoformat(info["local_now"]),
    )


def check_writes(env: dict, logins: list[str], ctx: Context, args, responses: dict) -> None:
    """Each measurement that writes must have written one row per response counted
    (a few more for requests still in flight when a run stopped): otherwise the
    responses were not what they seemed."""
    writing = [m for m in args.measurements if m.adds and responses[m.name]]
    if not writing:
        return
    after = django_side(env, "info", *logins)["logins"]
    for measurement in writing:
        email = email_of(measurement.login)
        added = after[email][measurement.adds] - ctx.logins[email][measurement.adds]
        counted = responses[measurement.name]
        slack = args.connections * 2 * args.rounds
        if not counted <= added <= counted + slack:
            raise SystemExit(
                f"bench: {measurement.name} got {counted:,} responses but {email} has "
                f"{added:,} more {measurement.adds.replace('_', ' ')}."
            )


def summarize(args, brackets: dict[str, list[Bracket]], counts: dict) -> dict:
    results = {}
    for name, runs in brackets.items():
        rps = statistics.median(run.measured.rps for run in runs)
        baseline_rps = statistics.median(run.baseline_rps for run in runs)
        middle = sorted(runs, key=lambda run: run.measured.rps)[len(runs) // 2].measured
        cpu_ms = statistics.median(run.measured.server_cpu_ms for run in runs)
        baseline_cpu_ms = statistics.median(run.baseline_cpu_ms for run in runs)
        results[name] = {
            "ratio": round(rps / baseline_rps, 3),
            "rps": round(rps, 1),
            "baseline_rps": round(baseline_rps, 1),
            # The same comparison in server CPU time a request: steadier on a busy machine.
            "cpu_ratio": round(baseline_cpu_ms / cpu_ms, 3),
            "server_cpu_ms_per_request": round(cpu_ms, 2),
            "baseline_server_cpu_ms_per_request": round(baseline_cpu_ms, 3),
            # PostgreSQL's own CPU a request (its backends run apart from gunicorn).
            "database_cpu_ms_per_request": round(
                statistics.median(1000 * r.measured.database_cpu / r.measured.rps for r in runs),
                2,
            ),
            "latency_ms": middle.latency_ms,
            "requests": sum(run.measured.requests for run in runs),
            "errors": 0,
            "cpu_cores": {
                "client": round(statistics.median(r.measured.client_cpu for r in runs), 2),
                "server": round(statistics.median(r.measured.server_cpu for r in runs), 2),
                "database": round(statistics.median(r.measured.database_cpu for r in runs), 2),
                "other": round(max(r.other_cpu for r in runs), 2),
                "client_during_baseline": round(
                    statistics.median(r.before.client_cpu for r in runs), 2
                ),
            },
            "rounds": [
                {
                    "rps": round(run.measured.rps, 1),
                    "baseline_rps": [round(run.before.rps, 1), round(run.after.rps, 1)],
                    "server_cpu_ms": round(run.measured.server_cpu_ms, 2),
                    "baseline_server_cpu_ms": round(run.baseline_cpu_ms, 3),
                    "other_cpu_cores": round(run.other_cpu, 2),
                }
                for run in runs
            ],
            "setup": {
                "people": counts["people"],
                "contacts": counts["contacts"],
                "database": "postgresql" if args.postgres else "sqlite",
                # False when --reuse-seed served a seed older than the seed code.
                "seed_current": args.seed_current,
                "server": f"gunicorn, {gunicorn_shape(args)}",
                "load": f"wrk, 1 thread, {args.connections} connections, {args.duration:g} s "
                f"after {args.warmup:g} s warm-up",
                "cpus": os.cpu_count(),
                "date": datetime.date.today().isoformat(),
            },
        }
    return results


def add_floor(results: dict, audit_cost: dict) -> None:
    """What no page can beat, from the signed-in floor: every page's ratio to it, and
    the best ratio a page that writes its audit event could reach (the signed-in
    request and the audit write, nothing else) against the anonymous baseline."""
    floor = results.get("signed_in_healthz")
    if floor is None:
        return
    for name, entry in results.items():
        if name != "signed_in_healthz":
            entry["ratio_to_signed_in"] = round(entry["rps"] / floor["rps"], 3)
            entry["cpu_ratio_to_signed_in"] = round(
                floor["server_cpu_ms_per_request"] / entry["server_cpu_ms_per_request"], 3
            )
    if audit_cost:
        audited_ms = floor["server_cpu_ms_per_request"] + audit_cost["audit_write_ms"]
        floor["audit_write_ms"] = audit_cost["audit_write_ms"]
        floor["audited_page_ceiling_cpu_ratio"] = round(
            floor["baseline_server_cpu_ms_per_request"] / audited_ms, 3
        )


def _figure(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio:.3f}"


def print_table(results: dict) -> None:
    say("")
    say(
        f"{'measurement':<18}{'req/s':>9}{'baseline':>10}{'ratio':>8}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'CPU ms':>9}{'CPU ratio':>11}{'other CPU':>11}{'to signed-in':>14}"
    )
    noisy = False
    for name, entry in results.items():
        notes = []
        if entry["ratio"] < TARGET_RATIO:
            notes.append(f"below the {TARGET_RATIO} target")
        if entry["cpu_cores"]["other"] > NOISE_CORES:
            notes.append("noisy")
            noisy = True
        say(
            f"{name:<18}{entry['rps']:>9.1f}{entry['baseline_rps']:>10.1f}{entry['ratio']:>8.3f}"
            f"{entry['latency_ms']['p50']:>9.1f}{entry['latency_ms']['p95']:>9.1f}"
            f"{entry['server_cpu_ms_per_request']:>9.2f}{entry['cpu_ratio']:>11.3f}"
            f"{entry['cpu_cores']['other']:>11.2f}"
            f"{_figure(entry.get('ratio_to_signed_in')):>14}   {', '.join(notes)}"
        )
    say("")
    floor = results.get("signed_in_healthz", {})
    if "audit_write_ms" in floor:
        say(
            f"Floor: a signed-in request costs {floor['server_cpu_ms_per_request']:.2f} ms of "
            f"server CPU and the audit event a person-level page must write "
            f"{floor['audit_write_ms']:.2f} ms more, so such a page's CPU ratio cannot pass "
            f"{floor['audited_page_ceiling_cpu_ratio']:.3f} against the anonymous baseline, "
            "whatever its queries and template. 'to signed-in' reads each page against the "
            "signed-in floor instead."
        )
    if noisy:
        say(
            f"Noisy: other processes kept more than {NOISE_CORES} of a core busy during some "
            "runs; the ratios are less trustworthy (the CPU ratios less so). Run again on a "
            "quieter machine or with more rounds (BENCH_ROUNDS)."
        )


if __name__ == "__main__":
    main()
