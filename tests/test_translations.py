"""English and Spanish: every string a person reads is marked for translation, and the
Spanish catalogue translates every marked string."""

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

PACKAGE = Path(settings.BASE_DIR) / "peacehub"
CATALOGUE = PACKAGE / "locale" / "es" / "LC_MESSAGES" / "django.po"

# Text that is the same in both languages.
UNTRANSLATABLE = {"PeaceHub", "English", "Español", "#", "—", "·", "…", "(", ")", ":", "/"}
_TAG = re.compile(r"<[^>]+>")
_READABLE_ATTRIBUTE = re.compile(r'\b(?:placeholder|title|alt|aria-label|data-confirm)="([^"]*)"')


def _templates():
    # 500.html is rendered without the template engine's context (the error may be in
    # it), so it carries both languages as plain text.
    return sorted(p for p in PACKAGE.rglob("templates/**/*.html") if p.name != "500.html")


def _untranslated_text(source: str) -> list[str]:
    """Readable text in a template that is neither a variable nor inside a translate
    tag. Template tags become a neutral placeholder first, so that HTML tags split by
    them ('<a href="{% url … %}">') are still recognised as tags."""
    skeleton = []
    depth = 0  # inside {% blocktranslate %} … {% endblocktranslate %}
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if name in {"blocktranslate", "blocktrans"}:
                depth += 1
            elif name in {"endblocktranslate", "endblocktrans"}:
                depth -= 1
            skeleton.append("\u00a4")
        elif token.token_type == TokenType.TEXT and not depth:
            skeleton.append(token.contents)
        else:
            skeleton.append("\u00a4")
    document = "".join(skeleton)
    found = [v for v in _READABLE_ATTRIBUTE.findall(document) if re.search(r"[A-Za-z]", v)]
    text = html.unescape(_TAG.sub("\n", document))
    for piece in re.split(r"\s*\u00a4\s*|\n", text):
        words = [w for w in piece.split() if w not in UNTRANSLATABLE]
        if re.search(r"[A-Za-z]{2,}", " ".join(words)):
            found.append(piece.strip())
    return found


@pytest.mark.parametrize("template", _templates(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_template_text_is_marked_for_translation(template):
    assert _untranslated_text(template.read_text()) == []


def test_the_lint_catches_unmarked_text():
    sample = (
        '<p>Hello there</p><input aria-label="Search">'
        '{% translate "Fine" %}{% blocktranslate %}Fine too{% endblocktranslate %}'
    )
    assert _untranslated_text(sample) == ["Search", "Hello there"]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_spanish_catalogue_translates_every_marked_string(tmp_path):
    """Extract the strings afresh (as `make messages` does) and check that the
    committed catalogue translates each one, with nothing fuzzy or empty."""
    copy = tmp_path / "peacehub"
    shutil.copytree(
        PACKAGE, copy, ignore=shutil.ignore_patterns("tests", "static", "__pycache__", "*.mo")
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "es",
            "--no-location",
            "--no-obsolete",
        ],
        cwd=copy,
        # Without settings, makemessages reads the copy it runs in, as `make messages`.
        env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        check=True,
        capture_output=True,
    )
    extracted = polib.pofile(str(copy / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in extracted if not e.translated() and not e.obsolete]
    assert missing == [], f"{len(missing)} strings lack a Spanish translation"


def test_compiled_catalogue_is_up_to_date():
    committed = polib.pofile(str(CATALOGUE))
    compiled = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    as_compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in compiled}
    stale = [
        e.msgid for e in committed.translated_entries() if (e.msgctxt, e.msgid) not in as_compiled
    ]
    assert stale == [], "run `make messages` to compile the catalogue"


def test_a_too_long_text_is_refused_in_spanish_with_the_limit_it_has():
    """Django's Spanish said "menos de 3" (fewer than three) where three are allowed."""
    from django import forms
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("es"):
        for limit, text, message in [
            (3, "abcd", "Escriba como máximo 3 caracteres (tiene 4)."),
            (1, "ab", "Escriba como máximo 1 carácter (tiene 2)."),
        ]:
            with pytest.raises(ValidationError) as refused:
                forms.CharField(max_length=limit).clean(text)
            assert refused.value.messages == [message]
