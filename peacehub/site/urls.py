from django.urls import path, register_converter

from peacehub.site import views
from peacehub.site.converters import CommunityAreaNumberConverter

register_converter(CommunityAreaNumberConverter, "area")

app_name = "site"
urlpatterns = [
    path("", views.home, name="home"),
    # The public site. /programs/ belongs to the staff's programs app, hence "what we do".
    path("what-we-do/", views.programs, name="programs"),
    path("what-we-do/<slug:slug>/", views.program, name="program"),
    path("partners/", views.partners, name="partners"),
    path("areas/", views.areas, name="areas"),
    path("areas/<area:number>/", views.area, name="area"),
    path("get-help/", views.get_help, name="get_help"),
    # Signed-in staff and the platform.
    path("dashboard/", views.dashboard, name="dashboard"),
    path("language/", views.set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
]
