import re

import pytest
from django.urls import reverse

from peacehub.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def _nav_links(response) -> set[str]:
    nav = response.content.decode().split('class="main-nav"')[1].split("</nav>")[0]
    return set(re.findall(r'href="([^"]+)"', nav))


def test_outreach_worker_sees_participants_not_staff_or_audit(client, alice):
    client.force_login(alice)
    links = _nav_links(client.get(reverse("outreach:home")))
    assert reverse("people:list") in links
    assert reverse("accounts:organizations") not in links
    assert reverse("audit:list") not in links


def _page_links(response) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', response.content.decode()))


def test_organization_admin_sees_staff_and_audit_not_participants(client, olivia):
    client.force_login(olivia)
    dashboard = client.get(reverse("site:dashboard"))
    assert {reverse("accounts:organizations"), reverse("audit:list")} <= _page_links(dashboard)
    assert reverse("people:list") not in _page_links(dashboard)


@pytest.mark.parametrize("persona", ["dana", "eve"])
def test_convener_and_evaluator_see_no_person_pages(client, request, persona, person_a):
    client.force_login(request.getfixturevalue(persona))
    dashboard = client.get(reverse("site:dashboard"))
    assert reverse("people:list") not in _nav_links(dashboard)
    assert "participant" not in dashboard.content.decode().lower()
    for url in (
        reverse("people:list"),
        reverse("people:autocomplete") + "?q=jamal",
        reverse("people:create"),
        reverse("people:shared"),
        reverse("people:export"),
    ):
        assert client.get(url).status_code == 403, url
    assert client.get(reverse("people:detail", args=[person_a.pk])).status_code == 404


def test_profile_change_language_is_remembered(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:profile"),
        {"form": "profile", "full_name": "Alice Outreach", "preferred_language": "es"},
    )
    alice.refresh_from_db()
    assert alice.preferred_language == "es"
    assert response.cookies["django_language"].value == "es"
    page = client.get(reverse("accounts:profile"))
    assert '<html lang="es">' in page.content.decode()


def test_language_switch_is_remembered_for_the_user(client, alice):
    client.force_login(alice)
    response = client.post(reverse("site:set_language"), {"language": "es", "next": "/people/"})
    alice.refresh_from_db()
    assert response["Location"] == "/people/"
    assert alice.preferred_language == "es"


def test_language_switch_refuses_foreign_redirects(client):
    response = client.post(
        reverse("site:set_language"), {"language": "es", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_language_switch_ignores_unknown_languages(client, alice):
    client.force_login(alice)
    client.post(reverse("site:set_language"), {"language": "xx"})
    alice.refresh_from_db()
    assert alice.preferred_language == "en"


def test_api_token_is_shown_once_and_can_be_revoked(client, alice):
    client.force_login(alice)
    response = client.post(reverse("accounts:token_create"), {"name": "laptop"})
    raw = re.search(r'value="(ph_[^"]+)"', response.content.decode()).group(1)
    token = ApiToken.objects.get(user=alice)
    assert raw.startswith(token.prefix)
    assert raw not in client.get(reverse("accounts:profile")).content.decode()

    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert not ApiToken.objects.exists()


def test_a_token_of_someone_else_cannot_be_revoked(client, alice, charlie):
    from peacehub.accounts.services import api_token_create

    token, _ = api_token_create(user=charlie, name="x")
    client.force_login(alice)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_token_name_is_required(client, alice):
    client.force_login(alice)
    client.post(reverse("accounts:token_create"), {"name": ""})
    assert not ApiToken.objects.exists()


def test_password_reset_mail_goes_out_over_smtp(client, alice, smtp_inbox):
    response = client.post(reverse("accounts:password_reset"), {"email": alice.email})
    assert response.status_code == 302
    [message] = smtp_inbox.messages
    assert message["To"] == alice.email
    body = message.get_payload(decode=True).decode()
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )
    alice.refresh_from_db()
    assert alice.check_password("a brand new passphrase")


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, smtp_inbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert smtp_inbox.messages == []


def test_the_language_switch_on_a_page_shown_after_a_refused_form_goes_back_to_a_page(
    client, carmen, person_a
):
    """The page with the form's errors has the address the form posted to, which takes
    POST only: switching language there must lead back to the page, not to a 405."""
    from peacehub.cases.tests.factories import CaseFactory

    case = CaseFactory(person=person_a, case_manager=carmen)
    client.force_login(carmen)
    case_page = reverse("cases:detail", args=[case.pk])
    refused = client.post(
        reverse("cases:goal_add", args=[case.pk]),
        {"domain": "housing", "description": "", "target_date": ""},
        HTTP_REFERER="http://testserver" + case_page,
    )
    assert refused.status_code == 400
    switch = re.search(r'<form class="language-switch"[^>]*>', refused.content.decode()).group(0)
    assert "data-follow-address" not in switch
    assert f'name="next" value="{case_page}"' in refused.content.decode()
    assert client.get(reverse("cases:goal_add", args=[case.pk])).status_code == 405

    search = reverse("people:list") + "?q=jam"
    shown = client.get(search).content.decode()
    assert f'name="next" value="{search}"' in shown
