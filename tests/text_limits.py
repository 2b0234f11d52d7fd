"""The check every app's text-limit tests share: free text is never cut by the phone
(no maxlength in the page), its limit is said under the field, and a longer text is
refused by the server on its field with all of it shown again."""

import html
import re


def field_tag(page: str, name: str) -> str:
    """The <input> or <textarea> posting ``name`` (the first one)."""
    match = re.search(rf'<(?:input|textarea)[^>]*\bname="{name}"[^>]*>', page)
    assert match, f"no field {name}"
    return match.group()


def assert_limit_said_and_too_long_refused(client, page_url, field, limit, post_url, data):
    """The page at ``page_url`` says ``field``'s limit without enforcing it; posting one
    character too many to ``post_url`` (with ``data``) is refused (400), saying the
    limit and showing the whole text again. Whether nothing was saved is the caller's."""
    page = client.get(page_url).content.decode()
    assert "maxlength" not in field_tag(page, field)
    assert f"At most {limit} characters." in html.unescape(page)

    too_long = "a" * (limit + 1)
    response = client.post(post_url, {**data, field: too_long})

    assert response.status_code == 400
    content = html.unescape(response.content.decode())
    assert f"at most {limit} characters (it has {limit + 1})" in content
    # All of it shown again, to shorten rather than to type again.
    assert too_long in content
