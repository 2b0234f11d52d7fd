from django.urls import path

from peacehub.outreach.views import contacts, incidents, introductions, mediations, supervision

app_name = "outreach"
urlpatterns = [
    path("", contacts.home, name="home"),
    path("contacts/", contacts.contact_list, name="contacts"),
    path("contacts/new/", contacts.contact_new, name="contact_new"),
    path("contacts/<uuid:contact_id>/done/", contacts.contact_done, name="contact_done"),
    path("contacts/<uuid:contact_id>/reopen/", contacts.contact_reopen, name="contact_reopen"),
    path("contacts/<uuid:contact_id>/undo/", contacts.contact_undo, name="contact_undo"),
    path("contacts/<uuid:contact_id>/correct/", contacts.contact_correct, name="contact_correct"),
    path("incidents/", incidents.incident_list, name="incidents"),
    path("incidents/new/", incidents.incident_new, name="incident_new"),
    path("incidents/<uuid:incident_id>/", incidents.incident_detail, name="incident"),
    path(
        "incidents/<uuid:incident_id>/people/",
        incidents.incident_link_person,
        name="incident_link_person",
    ),
    path("incidents/<uuid:incident_id>/close/", incidents.incident_close, name="incident_close"),
    path("incidents/<uuid:incident_id>/reopen/", incidents.incident_reopen, name="incident_reopen"),
    path(
        "incidents/<uuid:incident_id>/people/<uuid:link_id>/remove/",
        incidents.incident_unlink_person,
        name="incident_unlink_person",
    ),
    path("responses/<uuid:response_id>/step/", incidents.response_step, name="response_step"),
    path(
        "responses/<uuid:response_id>/actions/",
        incidents.response_action,
        name="response_action",
    ),
    path("mediations/", mediations.conflict_list, name="conflicts"),
    path("mediations/new/", mediations.conflict_new, name="conflict_new"),
    path("mediations/<uuid:conflict_id>/", mediations.conflict_detail, name="conflict"),
    path(
        "mediations/<uuid:conflict_id>/parties/",
        mediations.conflict_party_add,
        name="conflict_party_add",
    ),
    path(
        "mediations/<uuid:conflict_id>/parties/<uuid:party_id>/remove/",
        mediations.conflict_party_remove,
        name="conflict_party_remove",
    ),
    path(
        "mediations/<uuid:conflict_id>/close/",
        mediations.conflict_close,
        name="conflict_close",
    ),
    path(
        "mediations/<uuid:conflict_id>/reopen/",
        mediations.conflict_reopen,
        name="conflict_reopen",
    ),
    path(
        "mediations/<uuid:conflict_id>/sessions/",
        mediations.mediation_session_add,
        name="mediation_session_add",
    ),
    path(
        "mediations/<uuid:conflict_id>/agreements/",
        mediations.agreement_add,
        name="agreement_add",
    ),
    path(
        "mediations/<uuid:conflict_id>/agreements/<uuid:agreement_id>/state/",
        mediations.agreement_state,
        name="agreement_state",
    ),
    path("introductions/", introductions.introduction_list, name="introductions"),
    path(
        "introductions/new/<uuid:person_id>/",
        introductions.introduction_new,
        name="introduction_new",
    ),
    path(
        "introductions/<uuid:introduction_id>/accept/",
        introductions.introduction_accept,
        name="introduction_accept",
    ),
    path(
        "introductions/<uuid:introduction_id>/return/",
        introductions.introduction_return,
        name="introduction_return",
    ),
    path("duty/", supervision.duty, name="duty"),
    path("duty/<uuid:shift_id>/remove/", supervision.duty_remove, name="duty_remove"),
    path("supervisor/", supervision.supervisor, name="supervisor"),
]
