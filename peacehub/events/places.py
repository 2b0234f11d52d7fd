"""Where a point is: the community area containing it, from the loaded boundaries."""

from peacehub.geo.geometry import contains
from peacehub.geo.models import CommunityArea


def area_containing(latitude: float, longitude: float, areas=None) -> CommunityArea | None:
    """The community area the point falls in, or None outside every loaded area (that
    is, outside the city)."""
    if areas is None:
        areas = CommunityArea.objects.only("id", "number", "name", "boundary")
    for area in areas:
        if area.boundary and contains(area.boundary, longitude, latitude):
            return area
    return None


def park_name(official: str) -> str:
    """'HAMILTON (ALEXANDER)' -> 'Hamilton (Alexander) Park'; 'PARK NO. 527' -> 'Park
    No. 527', as the Park District names its parks."""
    words = " ".join(_word(w) for w in official.split())
    return words if words.lower().startswith("park") else f"{words} Park"


def street_address(upper: str) -> str:
    """'711 W 60TH PL' -> '711 W 60th Pl'."""
    return " ".join(_word(w) for w in upper.split())


def _word(word: str) -> str:
    if any(c.isdigit() for c in word):
        return word.lower()
    if word.startswith("(") and len(word) > 1:
        return "(" + _word(word[1:])
    if word.lower().startswith("mc") and len(word) > 2:
        return "Mc" + word[2:].capitalize()
    return word.capitalize()
