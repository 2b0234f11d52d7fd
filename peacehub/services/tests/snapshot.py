"""Every row of the directory, to compare two states of it."""

from peacehub.services.models import (
    Attribute,
    DirectoryOrganization,
    Language,
    Location,
    Phone,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceWord,
    Taxonomy,
    TaxonomyTerm,
)

DIRECTORY_MODELS = (
    DirectoryOrganization,
    Service,
    Location,
    ServiceAtLocation,
    Phone,
    Language,
    ServiceArea,
    Taxonomy,
    TaxonomyTerm,
    Attribute,
)
TIMESTAMPS = {"created_at", "updated_at"}


def directory_rows(*, timestamps: bool = True) -> dict[str, list]:
    rows = {}
    for model in DIRECTORY_MODELS:
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if timestamps or f.attname not in TIMESTAMPS
        ]
        rows[model.__name__] = sorted(
            (tuple(getattr(record, name) for name in names) for record in model.objects.all()),
            key=repr,
        )
    rows["service area links"] = sorted(
        ServiceArea.community_areas.through.objects.values_list(
            "servicearea_id", "communityarea_id"
        ),
        key=repr,
    )
    rows["words"] = sorted(ServiceWord.objects.values_list("service_id", "word"), key=repr)
    return rows


def directory_clear() -> None:
    for model in (ServiceWord, Attribute, *reversed(DIRECTORY_MODELS)):
        model.objects.all().delete()
