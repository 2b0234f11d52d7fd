from django.db import models
from django.utils.translation import gettext_lazy as _


class CommunityAreaQuerySet(models.QuerySet):
    def focus(self):
        return self.filter(is_focus_area=True)


class CommunityArea(models.Model):
    """One of the city's community areas. Public reference data: no person lives here."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    # The coalition's focus areas, where its partners concentrate outreach.
    is_focus_area = models.BooleanField(_("focus area"), default=False)
    population_2020 = models.PositiveIntegerField(_("population (2020 census)"), null=True)
    # GeoJSON MultiPolygon coordinates, WGS84 (longitude, latitude).
    boundary = models.JSONField(_("boundary"), default=list)
    # A point inside the area (its centroid when that falls inside), for map markers
    # and distances.
    centroid_latitude = models.FloatField(null=True)
    centroid_longitude = models.FloatField(null=True)

    objects = CommunityAreaQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("community area")
        verbose_name_plural = _("community areas")

    def __str__(self) -> str:
        return self.name
