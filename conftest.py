"""Shared test personas, after healthchecks' Alice, Bob and Charlie:

- alice: outreach worker at Southside Bridges (org A)
- bob: supervisor at Southside Bridges
- charlie: outreach worker at West Side Peacekeepers (org B)
- dana: convener staff
- eve: evaluator (at the convener)
- olivia: organization admin at Southside Bridges
- carmen: case manager at Southside Bridges
- lena: legal staff at Commons Legal Aid, a service provider (legal_aid)
"""

from importlib import import_module

import pytest
from django.apps import apps
from django.core.management import call_command

from peacehub.accounts.models import Organization
from peacehub.accounts.roles import Role
from peacehub.accounts.services import api_token_create
from peacehub.accounts.tests.factories import TEST_PASSWORD, OrganizationFactory, member
from peacehub.audit.models import AuditChainHead
from peacehub.cases.models import AssessmentTemplate
from peacehub.geo.models import CommunityArea
from peacehub.people.tests.factories import PersonFactory

# Rows that data migrations create, replayed when a flush removed them: (model, the
# migration module, its function). Each function is idempotent.
DATA_MIGRATIONS = [
    (AuditChainHead, "peacehub.audit.migrations.0002_append_only", "create_chain_head"),
    (
        AssessmentTemplate,
        "peacehub.cases.migrations.0002_assessment_version_1",
        "publish_version_1",
    ),
]


def restore_session_rows() -> None:
    """Rows the whole suite takes for granted: what data migrations create (the audit
    chain head every audited request needs, the assessment's first version) and the
    community areas."""
    for model, module, function in DATA_MIGRATIONS:
        if not model.objects.exists():
            getattr(import_module(module), function)(apps, None)
    if not CommunityArea.objects.exists():
        call_command("load_community_areas", verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        restore_session_rows()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (live_server, browser tests) flushes every table when it
    ends; put the session rows back so the next test on this worker finds them. A hook,
    not a fixture: the flush happens after every fixture has been torn down."""
    result = yield
    # After the last test the session's fixtures (the test database itself) are gone.
    if nextitem is not None and _is_transactional(item):
        with item.session.config.stash[_blocker_key].unblock():
            restore_session_rows()
    return result


def _is_transactional(item) -> bool:
    """Asked for by fixture (transactional_db, live_server) or by the marker."""
    if "transactional_db" in getattr(item, "fixturenames", ()):
        return True
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction"))


_blocker_key = pytest.StashKey[object]()


@pytest.fixture(scope="session", autouse=True)
def _remember_db_blocker(request, django_db_blocker):
    request.config.stash[_blocker_key] = django_db_blocker


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # Argon2 is the production hasher (a test checks it); MD5 keeps the suite fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def password():
    return TEST_PASSWORD


@pytest.fixture
def org_a(db):
    return OrganizationFactory(name="Southside Bridges")


@pytest.fixture
def org_b(db):
    return OrganizationFactory(name="West Side Peacekeepers")


@pytest.fixture
def convener(db):
    return OrganizationFactory(name="Metro Peace Alliance", kind=Organization.Kind.CONVENER)


@pytest.fixture
def alice(org_a):
    return member(org_a, Role.OUTREACH_WORKER, "alice@example.org", full_name="Alice Outreach")


@pytest.fixture
def bob(org_a):
    return member(org_a, Role.SUPERVISOR, "bob@example.org", full_name="Bob Supervisor")


@pytest.fixture
def olivia(org_a):
    return member(org_a, Role.ORGANIZATION_ADMIN, "olivia@example.org", full_name="Olivia Admin")


@pytest.fixture
def charlie(org_b):
    return member(org_b, Role.OUTREACH_WORKER, "charlie@example.org", full_name="Charlie Other")


@pytest.fixture
def dana(convener):
    return member(convener, Role.CONVENER_STAFF, "dana@example.org", full_name="Dana Convener")


@pytest.fixture
def eve(convener):
    return member(convener, Role.EVALUATOR, "eve@example.org", full_name="Eve Evaluator")


@pytest.fixture
def carmen(org_a):
    """A case manager of organization A."""
    return member(org_a, Role.CASE_MANAGER, "carmen@example.org", full_name="Carmen Casemanager")


@pytest.fixture
def legal_aid(db):
    """A service provider of the coalition, which receives referrals."""
    return OrganizationFactory(name="Commons Legal Aid", kind=Organization.Kind.PROVIDER)


@pytest.fixture
def lena(legal_aid):
    """Legal staff of the provider."""
    return member(legal_aid, Role.LEGAL_STAFF, "lena@example.org", full_name="Lena Legal")


@pytest.fixture
def person_a(org_a):
    return PersonFactory(organization=org_a, legal_first_name="Jamal", legal_last_name="Washington")


@pytest.fixture
def person_b(org_b):
    return PersonFactory(organization=org_b, legal_first_name="Luis", legal_last_name="Hernandez")


@pytest.fixture
def client_for(client):
    """Sign in as a persona: client_for(alice)."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def api_as(client):
    """Call the JSON API with a personal token: api_as(alice)("post", path, data)."""

    def as_user(user):
        _, raw = api_token_create(user=user, name="laptop")

        def call(method, path, data=None):
            kwargs = {"headers": {"Authorization": f"Bearer {raw}"}}
            if data is not None:
                kwargs.update(data=data, content_type="application/json")
            return getattr(client, method)(path, **kwargs)

        return call

    return as_user


class _Inbox:
    """Messages a real SMTP server received during a test."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        import email

        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_inbox(settings):
    """A local aiosmtpd server that Django sends to through its real SMTP backend."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield inbox
    finally:
        controller.stop()
