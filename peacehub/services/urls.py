from django.urls import path

from peacehub.services import views

app_name = "services"
urlpatterns = [
    path("", views.service_search, name="search"),
    path("manage/", views.manage, name="manage"),
    path("new/", views.service_new, name="new"),
    path("<uuid:service_id>/", views.service_detail, name="detail"),
    path("<uuid:service_id>/edit/", views.service_edit, name="edit"),
    path("<uuid:service_id>/locations/new/", views.location_new, name="location_new"),
    path(
        "<uuid:service_id>/locations/<uuid:location_id>/edit/",
        views.location_edit,
        name="location_edit",
    ),
    path(
        "<uuid:service_id>/locations/<uuid:location_id>/remove/",
        views.location_remove,
        name="location_remove",
    ),
    path("organizations/", views.organization_list, name="organizations"),
    path("organizations/new/", views.organization_new, name="organization_new"),
    path("organizations/join/", views.organization_join, name="organization_join"),
    path(
        "organizations/<uuid:organization_id>/edit/",
        views.organization_edit,
        name="organization_edit",
    ),
    path("import/", views.hsds_import, name="import"),
    path("export.json", views.hsds_export, name="export"),
]
