from django.contrib import admin

from peacehub.geo.models import CommunityArea


@admin.register(CommunityArea)
class CommunityAreaAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "is_focus_area", "population_2020"]
    list_filter = ["is_focus_area"]
    search_fields = ["name"]
    exclude = ["boundary"]
