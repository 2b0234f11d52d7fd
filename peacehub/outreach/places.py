"""Incidents at block level. Every organization serving the area, the convener and the
API read an incident: nothing in it may lead to someone's home.

A block, a corner or a highway is fine: "6300 block of S Halsted", "6,300 block",
"63rd & Halsted", "I-94 at 63rd St". A house number is not, however it is written:
"6347 S Halsted", "S6329 Halsted", "No6329 S Halsted", "4815 W Madison".

The rule for a summary, in one sentence: a number of three digits or more is refused
(it may be a house number) unless it is a block of a hundred ("6300 block"), a time
("22:40", "2240 hrs"), a numbered street ("63rd") or a highway ("I-94", "Route 41").
A shorter number ("2 men", "#2", "x2", "9mm") is a count, not a house, unless it is
written the way an address is: before a direction or a street ("12 W Madison",
"12 Elm Street"). A place field is stricter: every number in it is a block, a street
or a highway."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

BLOCK_REFUSED = _("Give the block (for example “6300 block”), never a house number.")
SUMMARY_REFUSED = _(
    "Keep the summary to the block (for example “6300 block of S Halsted”), never a house "
    "number. A number of three digits or more must be a block, a time (“22:40”), a street "
    "(“63rd”) or a highway (“I-94”); write a count in words (“about three hundred”)."
)

# A number as it is typed: "6300" or "6,300".
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)|\d+")
# "63rd", "79th": the name of a numbered street (Chicago's stop below 140th).
_ORDINAL = re.compile(r"(st|nd|rd|th)\b", re.IGNORECASE)
# "I-94", "I 290", "US-41", "Route 66": a highway's number. The short prefixes in
# capitals only, so that "told us 4815 W Madison" is not read as a highway.
_HIGHWAY = re.compile(r"(?:\b(?:I|US|IL|SR)|\b(?i:route|rte|rt|hwy|highway|interstate))[ -]?$")
# "6300 block", "6300 blk", "6300-6400 blocks", "6300 to 6400 block" (whose end is a
# number of its own, checked in its turn).
_BLOCK = re.compile(
    r"\s*(?:(?:-|–|to|and|&)\s*(?:\d{1,3}(?:,\d{3})+|\d+)\s*)?(?:blocks?|blk)\b", re.IGNORECASE
)
# What follows a house number in free text: a direction ("4815 W Madison"), a street
# ("12 Elm Street", "4815 Madison Ave"), or a name ("4815 Madison").
_STREET = (
    r"(?:st|street|ave|avenue|blvd|boulevard|rd|road|dr|drive|pl|place|ct|court|pkwy|parkway"
    r"|ln|lane|ter|terrace|way|hwy)\b"
)
_GLUED_AFTER = re.compile(rf"(?:[NSEW]\b|(?i:{_STREET}))")
_DIRECTION_AFTER = re.compile(r"\s+(?:[NSEW]|north|south|east|west)\b", re.IGNORECASE)
# The street's name in capitals ("Elm Street", "Martin Luther King Dr"), so that "shot
# outside St Sabina" is not read as one.
_STREET_AFTER = re.compile(rf"(?:\s+[A-Z][A-Za-z'.-]*){{1,3}}\s+(?i:{_STREET})")
# "2240 hrs", "2240h", "1030 pm": a time written without its colon.
_TIME_AFTER = re.compile(
    r"\s*(?:(?P<day>hrs?|hours|h)|(?P<half>[ap]\.?m\.?))(?![a-z])", re.IGNORECASE
)
# The minutes of "22:40": two digits after the hour and its colon.
_HOUR_BEFORE = re.compile(r"\d:$")


def _value(number: str) -> int:
    return int(number.replace(",", ""))


def _numbers(text: str):
    """Each number of ``text`` that is not a street's or a highway's, with what comes
    before and after it."""
    for match in _NUMBER.finditer(text):
        before, after = text[: match.start()], text[match.end() :]
        value = _value(match.group())
        if value < 1000 and (_ORDINAL.match(after) or _HIGHWAY.search(before)):
            continue
        yield match.group(), before, after


def is_block_level(place: str) -> bool:
    """A place field: every number in it is a block of a hundred ("6300 block"), a
    numbered street ("63rd") or a highway ("I-94"). Any other number is a house
    number, glued to letters or not."""
    return all(
        _BLOCK.match(after) and _value(number) % 100 == 0
        for number, _before, after in _numbers(place)
    )


def _is_time(number: str, after: str) -> bool:
    """ "2240 hrs", "1030pm": three or four digits that read as a clock's."""
    match = _TIME_AFTER.match(after)
    if match is None or not number.isdigit() or len(number) not in (3, 4):
        return False
    hours, minutes = int(number[:-2]), int(number[-2:])
    if minutes > 59:
        return False
    return 1 <= hours <= 12 if match.group("half") else hours <= 23


def names_a_house(text: str) -> bool:
    """Free text (an incident's summary): a number of three digits or more that is not
    a block of a hundred ("6300 block"), a time ("22:40", "2240 hrs"), a numbered street
    ("63rd") or a highway ("I-94"), however it is written ("4815 W Madison", "S6329",
    "#4815", "about 300 people"); or a shorter one written as an address is, before a
    direction or a street ("12 W Madison", "12 Elm Street"). Counts and calibres
    ("2 men hit", "#2", "x2", "9mm") are not."""
    for number, before, after in _numbers(text):
        if _BLOCK.match(after):
            if _value(number) % 100:
                return True
            continue
        if len(number) == 2 and _HOUR_BEFORE.search(before):
            continue
        if len(number.replace(",", "")) >= 3:
            if not _is_time(number, after):
                return True
            continue
        if _GLUED_AFTER.match(after) or _DIRECTION_AFTER.match(after) or _STREET_AFTER.match(after):
            return True
    return False


def reject_house_numbers(*, block: str = "", summary: str = "") -> None:
    """Refuse an incident whose place or summary gives a house number, on its field."""
    errors = {}
    if not is_block_level(block):
        errors["block"] = BLOCK_REFUSED
    if names_a_house(summary):
        errors["summary"] = SUMMARY_REFUSED
    if errors:
        raise ValidationError(errors)
