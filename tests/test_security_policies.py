"""Project-wide rules that hold for every URL: deny by default, UUIDs for records,
no caching of signed-in pages, a strict Content-Security-Policy."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter
from django.urls.resolvers import RegexPattern, RoutePattern

from peacehub.accounts.middleware import SignInRequiredMiddleware

# The short list of pages an anonymous visitor may reach, by URL name.
PUBLIC_URL_NAMES = {
    "site:home",
    "site:programs",
    "site:program",
    "site:partners",
    "site:areas",
    "site:area",
    "site:get_help",
    "site:healthz",
    "site:set_language",
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "api:openapi-json",
    "admin:login",
    # The Peace Academy's trainings open to the public, and the interest form.
    "academy:public_trainings",
    "academy:public_interest",
    "academy:public_interest_thanks",
    # The Light in the Night public calendar, its pages and its iCalendar feeds.
    "events:calendar",
    "events:list",
    "events:near",
    "events:detail",
    "events:event_ics",
    "events:feed",
    "events:area_feed",
}

_SAMPLES = {
    # Fixed, so that every xdist worker collects the same test ids.
    UUIDConverter: lambda: "00000000-0000-4000-8000-000000000001",
    IntConverter: lambda: "1",
}


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from _walk(entry.url_patterns, prefix + _sample(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else f"{namespace}<unnamed>"
            yield name, prefix + _sample(entry.pattern), entry


def _sample(pattern) -> str:
    """A concrete path that the pattern matches."""
    if isinstance(pattern, RoutePattern):
        route = pattern._route
        for param, converter in pattern.converters.items():
            value = _SAMPLES.get(type(converter), lambda: "sample")()
            route = re.sub(rf"<(?:\w+:)?{param}>", value, route)
        return route
    assert isinstance(pattern, RegexPattern)
    regex = pattern._regex.lstrip("^").rstrip("$").replace("\\Z", "")
    regex = re.sub(r"\(\?P<\w+>([^)]*)\)", lambda m: m.group(1).split("|")[0].strip("()"), regex)
    return regex.replace("\\", "").replace("?", "")


ALL_URLS = sorted(set(_walk(get_resolver().url_patterns)), key=lambda t: (t[1], t[0]))


def _denied(response) -> bool:
    # 405: the route exists but refused the method before running any view code.
    if response.status_code in (401, 403, 404, 405):
        return True
    if response.status_code in (301, 302):
        location = response["Location"]
        return location.startswith(reverse("accounts:login")) or location.startswith(
            reverse("admin:login")
        )
    return False


@pytest.mark.django_db
@pytest.mark.parametrize("name, path, pattern", ALL_URLS, ids=[u[0] + " " + u[1] for u in ALL_URLS])
def test_anonymous_visitor_is_denied_everything_not_public(client, name, path, pattern):
    url = "/" + path
    responses = [client.get(url), client.post(url)]
    reachable = [r.status_code for r in responses if not _denied(r)]
    if name in PUBLIC_URL_NAMES:
        return
    assert reachable == [], f"{name} ({url}) answers an anonymous visitor with {reachable}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["site:home", "site:healthz", "accounts:login", "accounts:password_reset"]
)
def test_public_pages_work_for_anonymous_visitors(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200


def test_public_list_names_real_urls():
    names = {name for name, _, _ in ALL_URLS}
    assert names >= PUBLIC_URL_NAMES


def test_record_ids_in_urls_are_uuids():
    offenders = []
    for name, _, entry in ALL_URLS:
        if name.startswith("admin:") or name.startswith("accounts:password_reset"):
            continue
        if isinstance(entry.pattern, RoutePattern):
            for param, converter in entry.pattern.converters.items():
                if param.endswith("_id") and not isinstance(converter, UUIDConverter):
                    offenders.append(f"{name}: {param}")
                if isinstance(converter, IntConverter):
                    offenders.append(f"{name}: {param} is an integer")
    assert offenders == []


@pytest.mark.django_db
def test_signed_in_pages_are_not_cached(client, alice, person_a):
    client.force_login(alice)
    for url in [
        reverse("outreach:home"),
        reverse("people:list"),
        reverse("people:detail", args=[person_a.pk]),
        reverse("accounts:profile"),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "no-store", url


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [True, False])
def test_strict_content_security_policy(client, alice, signed_in):
    if signed_in:
        client.force_login(alice)
    response = client.get(reverse("site:dashboard" if signed_in else "site:home"))
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "http" not in policy
    assert "*" not in policy
    content = response.content.decode()
    for tag in re.findall(r"<script[^>]*>", content):
        assert re.search(r'src="/static/', tag), f"inline or foreign script: {tag}"
    assert "style=" not in content


def test_session_settings():
    assert settings.SESSION_IDLE_TIMEOUT.total_seconds() == 15 * 60
    assert settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds() == 12 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY
    # Every view needs signing in unless it says otherwise: Django's LoginRequiredMiddleware,
    # which answers htmx requests in its own way.
    assert "peacehub.accounts.middleware.SignInRequiredMiddleware" in settings.MIDDLEWARE
    assert issubclass(SignInRequiredMiddleware, LoginRequiredMiddleware)
