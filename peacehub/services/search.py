"""Finding services by need, community area, language and words: one function that the
search page and the API share, so they give the same results.

Why it stays fast with thousands of services: each filter is a semi-join
(`service.id IN (SELECT service_id FROM … WHERE …)`) on a narrow table, through an
index that begins with the filtered column, then services are fetched by primary key.
- need: services_attribute (taxonomy_term_id, service_id). The needs term's id is
  derived from the Domain code (models.need_term_id), so no join to the terms.
- community area: the service area ↔ community area table (indexed on the community
  area) to services_servicearea (primary key), or a location in the area:
  services_location (community_area_id) to services_serviceatlocation (location_id).
- language: services_language (code, service_id).
- words: services_serviceword (word, service_id). A query word matches the words it
  begins, as the range word >= 'hous' AND word < 'hout': an index range on SQLite and
  PostgreSQL alike (SQLite cannot use an index for its case-insensitive LIKE 'hous%').
  Every query word must match. The word rows are rebuilt by services.py on each write.
Only the page of results is then loaded, with its relations in a fixed number of
queries (ServiceQuerySet.for_listing); tests pin the count and check SQLite's query plan.
"""

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from peacehub.services.access import services_visible_to
from peacehub.services.models import (
    Attribute,
    Language,
    ServiceArea,
    ServiceAtLocation,
    ServiceWord,
    need_term_id,
)
from peacehub.services.services import text_words

MAX_QUERY_WORDS = 6


def _after(prefix: str) -> str:
    """The smallest string greater than every word that begins with ``prefix``."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def services_search(
    user,
    *,
    need: str = "",
    area_id: int | None = None,
    language: str = "",
    text: str = "",
) -> QuerySet:
    """Open services (active or temporarily closed) matching every filter given, the
    coalition's own services first (they can receive referrals here), then by name."""
    services = services_visible_to(user).open()
    if need:
        services = services.filter(
            pk__in=Attribute.objects.filter(taxonomy_term_id=need_term_id(need)).values(
                "service_id"
            )
        )
    if area_id is not None:
        services = services.filter(
            Q(pk__in=ServiceArea.objects.filter(community_areas=area_id).values("service_id"))
            | Q(
                pk__in=ServiceAtLocation.objects.filter(location__community_area_id=area_id).values(
                    "service_id"
                )
            )
        )
    if language:
        services = services.filter(
            pk__in=Language.objects.filter(code=language.lower()).values("service_id")
        )
    for word in query_words(text):
        services = services.filter(
            pk__in=ServiceWord.objects.filter(word__gte=word, word__lt=_after(word)).values(
                "service_id"
            )
        )
    return services.annotate(
        outside_coalition=Case(
            When(organization__organization__isnull=False, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("outside_coalition", "name", "id")


def query_words(text: str) -> list[str]:
    """The words a query must match. One-letter words are not indexed (see
    service_words_refresh), so letters spelled apart are one word ("G E D" -> "ged", as
    "G.E.D." is) and a letter alone ("a job") is left out rather than matching, or
    missing, everything."""
    words, letters = [], []
    for word in [*text_words(text or ""), ""]:
        if len(word) == 1:
            letters.append(word)
            continue
        if len(letters) > 1:
            words.append("".join(letters))
        letters = []
        if word:
            words.append(word)
    return list(dict.fromkeys(words))[:MAX_QUERY_WORDS]
