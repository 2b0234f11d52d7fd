"""Finding a person by a name typed quickly, on a phone, possibly misspelled.

Each person keeps two derived columns: `search_text`, the names lower-cased without
accents, and `search_codes`, a sound-alike code per name word. A query word matches a
person when it begins one of their name words or sounds like one of them; every query
word must match. Results are then ranked by how close the spelling is. The codes work
the same on SQLite and PostgreSQL, with no extension.

An apostrophe inside a name is typed or not, and typed as any of its marks: "D'Angelo",
"D’Angelo", "DAngelo", "Dangelo", "D Angelo" all find D'Angelo. A name keeps both its
parts and their joining ("d angelo dangelo"); a query joins them ("dangelo").
"""

import difflib
import re
import unicodedata

_WORD = re.compile(r"[a-z0-9]+")
# The marks typed for an apostrophe: ASCII, typographic, the modifier letter, a grave
# or an acute accent on its own.
_APOSTROPHE = re.compile(r"['\u2018\u2019\u02bc\u0060\u00b4]")

# Spelling that sounds alike in English and Spanish names, rewritten before coding.
_REWRITES = [
    (re.compile(r"ph"), "f"),
    (re.compile(r"gh"), "g"),
    (re.compile(r"ck"), "k"),
    (re.compile(r"qu"), "k"),
    (re.compile(r"q"), "k"),
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"chr"), "kr"),
    (re.compile(r"ch"), "x"),
    (re.compile(r"c"), "k"),
    (re.compile(r"z"), "s"),
    (re.compile(r"^x"), "s"),
    (re.compile(r"gu(?=[ei])"), "g"),
    (re.compile(r"v"), "b"),
    (re.compile(r"^wr"), "r"),
    (re.compile(r"^kn"), "n"),
    (re.compile(r"^h"), ""),
    (re.compile(r"j"), "g"),
]
_CLASSES = {
    **dict.fromkeys("bfp", "1"),
    **dict.fromkeys("gkx", "2"),
    **dict.fromkeys("s", "3"),
    **dict.fromkeys("dt", "4"),
    "l": "5",
    **dict.fromkeys("mn", "6"),
    "r": "7",
    "h": "8",
    **dict.fromkeys("aeiouyw", ""),
}


def normalize(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(text: str) -> list[str]:
    """The words of a query: an apostrophe joins what it separates ("dangelo")."""
    return _WORD.findall(_APOSTROPHE.sub("", normalize(text)))


def name_words(text: str) -> list[str]:
    """The words of a name as stored: each part around an apostrophe, then the parts
    joined ("d", "angelo", "dangelo"), so that either way of typing it finds it."""
    normalized = normalize(text)
    parts = _WORD.findall(normalized)
    joined = [w for w in _WORD.findall(_APOSTROPHE.sub("", normalized)) if w not in parts]
    return parts + joined


def sound_code(word: str) -> str:
    """A Soundex-like code that also treats the first letter by sound, so that
    'Kristofer' and 'Christopher', 'Jimenez' and 'Ximenez' share a code."""
    word = normalize(word)
    for pattern, replacement in _REWRITES:
        word = pattern.sub(replacement, word)
    if not word:
        return ""
    code = "V" if word[0] in "aeiouyw" else ""
    previous = None
    for position, letter in enumerate(word):
        if letter == "h" and position > 0:
            continue  # silent after the first letter: Thompson, Aaliyah, Johnson
        digit = _CLASSES.get(letter, "")
        if digit and digit != previous:
            code += digit
        previous = digit
    return code[:6] or "V"


def search_columns(*names: str) -> tuple[str, str]:
    """The values of `search_text` and `search_codes` for a person's names."""
    stored = [w for name in names for w in name_words(name)]
    text = " " + " ".join(stored) + " "
    codes = {sound_code(w) for w in stored if not w.isdigit()}
    return text, " " + " ".join(sorted(c for c in codes if c)) + " "


def query_terms(query: str) -> list[tuple[str, str]]:
    """(word, sound code) for each word of a query, at most five words."""
    return [(w, sound_code(w)) for w in words(query)[:5]]


def closeness(query: str, search_text: str) -> float:
    """How close a query is to a person's names, 0 to 1, for ranking."""
    query_words = words(query)
    name_words = search_text.split()
    if not query_words or not name_words:
        return 0.0
    score = 0.0
    for q in query_words:
        best = 0.0
        for n in name_words:
            ratio = 1.0 if n.startswith(q) else difflib.SequenceMatcher(None, q, n).ratio()
            best = max(best, ratio)
        score += best
    return score / len(query_words)


CANDIDATE_LIMIT = 500


def people_matching(queryset, query: str, *, limit: int = 50) -> list:
    """People of ``queryset`` whose names match every word of ``query``, closest first.
    ``queryset`` must already be scoped by peacehub.people.access."""
    from django.db.models import Q

    terms = query_terms(query)
    if not terms:
        return []
    condition = Q()
    for word, code in terms:
        term = Q(search_text__contains=f" {word}")
        if code and not word.isdigit():
            term |= Q(search_codes__contains=f" {code} ")
        condition &= term
    candidates = list(queryset.filter(condition).values_list("pk", "search_text")[:CANDIDATE_LIMIT])
    candidates.sort(key=lambda row: -closeness(query, row[1]))
    ranked_ids = [pk for pk, _ in candidates[:limit]]
    by_id = queryset.filter(pk__in=ranked_ids).in_bulk()
    return [by_id[pk] for pk in ranked_ids if pk in by_id]
