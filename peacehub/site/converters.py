class CommunityAreaNumberConverter:
    """A community area's official number (1 to 77 in Chicago) in a public URL.

    Not a record id: community areas are public reference data that residents know by
    number, so the UUID rule for record ids does not apply to them."""

    regex = "[1-9][0-9]{0,2}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
