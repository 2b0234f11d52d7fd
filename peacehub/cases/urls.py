from django.urls import path

from peacehub.cases.views import case, caseload, notes, reentry

app_name = "cases"
urlpatterns = [
    path("", caseload.caseload, name="caseload"),
    path("supervisor/", caseload.supervisor, name="supervisor"),
    path("releases/", reentry.releases_due, name="releases"),
    path("open/<uuid:person_id>/", case.case_open, name="open"),
    path("<uuid:case_id>/", case.case_detail, name="detail"),
    path("<uuid:case_id>/intake/", case.intake, name="intake"),
    path("<uuid:case_id>/assessments/new/", case.assessment_new, name="assessment_new"),
    path("<uuid:case_id>/goals/", case.goal_add, name="goal_add"),
    path("<uuid:case_id>/close/", case.case_close, name="close"),
    path("goals/<uuid:goal_id>/progress/", case.goal_progress, name="goal_progress"),
    path("people/<uuid:person_id>/notes/", notes.person_notes, name="notes"),
    path("people/<uuid:person_id>/reentry/", reentry.reentry_plan, name="reentry"),
    path(
        "reentry/<uuid:plan_id>/contacts/",
        reentry.pre_release_contact_add,
        name="pre_release_contact_add",
    ),
    path(
        "reentry/<uuid:plan_id>/services/",
        reentry.reentry_service_add,
        name="reentry_service_add",
    ),
    path(
        "reentry/<uuid:plan_id>/services/<uuid:service_id>/status/",
        reentry.reentry_service_status,
        name="reentry_service_status",
    ),
]
