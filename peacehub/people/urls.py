from django.urls import path

from peacehub.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("autocomplete/", views.person_autocomplete, name="autocomplete"),
    path("shared/", views.shared_person_list, name="shared"),
    path("export.csv", views.person_export, name="export"),
    path("<uuid:person_id>/", views.person_detail, name="detail"),
    path("<uuid:person_id>/edit/", views.person_edit, name="edit"),
    path("<uuid:person_id>/status/", views.person_status, name="status"),
    path("<uuid:person_id>/eligibility/", views.person_eligibility, name="eligibility"),
    path(
        "<uuid:person_id>/eligibility/print/",
        views.person_eligibility_print,
        name="eligibility_print",
    ),
    path("<uuid:person_id>/consents/new/", views.consent_create, name="consent_create"),
    path(
        "<uuid:person_id>/consents/<uuid:consent_id>/revoke/",
        views.consent_revoke,
        name="consent_revoke",
    ),
]
