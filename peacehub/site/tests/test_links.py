import uuid

import pytest
from django.template import Context, Template
from django.urls import reverse


@pytest.mark.parametrize(
    "name, record_id",
    [
        ("people:detail", uuid.uuid4()),
        ("outreach:incident", uuid.uuid4()),
        ("people:list", None),
        ("outreach:contact_new", None),
    ],
)
def test_link_gives_what_url_gives(name, record_id):
    tag = (
        f'{{% load links %}}{{% link "{name}" record_id %}}'
        if record_id
        else (f'{{% load links %}}{{% link "{name}" %}}')
    )
    rendered = Template(tag).render(Context({"record_id": record_id}))
    assert rendered == (reverse(name, args=[record_id]) if record_id else reverse(name))
