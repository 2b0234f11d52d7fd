from django.urls import path

from peacehub.programs import views

app_name = "programs"
urlpatterns = [
    path("", views.home, name="home"),
    path(
        "enrollments/<uuid:enrollment_id>/",
        views.enrollment_detail,
        name="enrollment",
    ),
    path(
        "enrollments/<uuid:enrollment_id>/finish/",
        views.enrollment_finish,
        name="enrollment_finish",
    ),
    path(
        "enrollments/<uuid:enrollment_id>/milestones/",
        views.milestone_add,
        name="milestone_add",
    ),
    path("enrollments/<uuid:enrollment_id>/matters/", views.matter_add, name="matter_add"),
    path(
        "enrollments/<uuid:enrollment_id>/matters/<uuid:matter_id>/",
        views.matter_update,
        name="matter_update",
    ),
    path("enrollments/<uuid:enrollment_id>/sessions/", views.session_add, name="session_add"),
    path(
        "enrollments/<uuid:enrollment_id>/safety-plan/",
        views.safety_plan,
        name="safety_plan",
    ),
    path("<slug:program_slug>/", views.enrollment_list, name="list"),
    path("<slug:program_slug>/enroll/", views.enroll, name="enroll"),
]
