from django.contrib import admin

from peacehub.events.models import Place, Summer


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "community_area", "address"]
    list_filter = ["kind"]
    search_fields = ["name", "address"]


@admin.register(Summer)
class SummerAdmin(admin.ModelAdmin):
    """Where a year's ten summer weeks start, when not on the default Monday."""

    list_display = ["year", "first_monday"]
