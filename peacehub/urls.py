from django.contrib import admin
from django.urls import include, path

from peacehub.api import api

urlpatterns = [
    path("", include("peacehub.site.urls")),
    path("accounts/", include("peacehub.accounts.urls")),
    path("people/", include("peacehub.people.urls")),
    path("audit/", include("peacehub.audit.urls")),
    path("outreach/", include("peacehub.outreach.urls")),
    path("alerts/", include("peacehub.notifications.urls")),
    path("cases/", include("peacehub.cases.urls")),
    path("referrals/", include("peacehub.referrals.urls")),
    path("services/", include("peacehub.services.urls")),
    path("programs/", include("peacehub.programs.urls")),
    path("events/", include("peacehub.events.urls")),
    path("academy/", include("peacehub.academy.urls")),
    path("api/v1/", api.urls),
    path("operators/", admin.site.urls),
]

handler404 = "peacehub.api.page_not_found"
