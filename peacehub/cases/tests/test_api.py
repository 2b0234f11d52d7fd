"""The cases API where the role alone decides; case by case access is in
test_access_matrix."""

import pytest

from peacehub.accounts.services import api_token_create
from peacehub.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

BAD_QUERY = "/api/v1/cases?mine=maybe&page=abc"


def _get(client, user, path):
    _, raw = api_token_create(user=user, name="laptop")
    return client.get(path, headers={"Authorization": f"Bearer {raw}"})


def test_a_role_that_may_not_see_cases_gets_403_before_the_query_is_read(client, carmen, alice):
    assert _get(client, carmen, BAD_QUERY).status_code == 400
    response = _get(client, alice, BAD_QUERY)
    assert response.status_code == 403
    assert response.json() == {"detail": "Your role cannot see cases."}
    assert not AuditEvent.objects.filter(record_type="cases.case").exists()


def test_without_a_token_a_bad_query_still_gets_401(client):
    response = client.get(BAD_QUERY)
    assert response.status_code == 401
    assert response.json() == {"detail": "A valid API token is required."}
