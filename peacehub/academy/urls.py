from django.urls import path

from peacehub.academy.views import cohorts, courses, interests, public, records

app_name = "academy"
urlpatterns = [
    # Trainers
    path("", cohorts.cohort_list, name="cohorts"),
    path("cohorts/new/", cohorts.cohort_new, name="cohort_new"),
    path("cohorts/<uuid:cohort_id>/", cohorts.cohort_detail, name="cohort"),
    path("cohorts/<uuid:cohort_id>/edit/", cohorts.cohort_edit, name="cohort_edit"),
    path("cohorts/<uuid:cohort_id>/sessions/new/", cohorts.session_new, name="session_new"),
    path("cohorts/<uuid:cohort_id>/enroll/", cohorts.enroll, name="enroll"),
    path("cohorts/<uuid:cohort_id>/enroll/staff/", cohorts.enroll_staff, name="enroll_staff"),
    path("cohorts/<uuid:cohort_id>/enroll/outside/", cohorts.enroll_outside, name="enroll_outside"),
    path("cohorts/<uuid:cohort_id>/roster.csv", cohorts.roster_export, name="roster_export"),
    path("sessions/<uuid:session_id>/", cohorts.session_attendance, name="session"),
    path(
        "records/<uuid:enrollment_id>/withdraw/",
        cohorts.enrollment_withdraw,
        name="enrollment_withdraw",
    ),
    path(
        "records/<uuid:enrollment_id>/sign-in/",
        cohorts.enrollment_sign_in,
        name="enrollment_sign_in",
    ),
    path("courses/", courses.course_list, name="courses"),
    path("courses/new/", courses.course_new, name="course_new"),
    path("courses/<uuid:course_id>/", courses.course_edit, name="course_edit"),
    path("interests/", interests.interest_list, name="interests"),
    path(
        "interests/<uuid:interest_id>/handled/",
        interests.interest_handled,
        name="interest_handled",
    ),
    # Every signed-in person: their own training record
    path("my-training/", records.my_training, name="my_training"),
    path("records/<uuid:enrollment_id>/", records.enrollment_detail, name="enrollment"),
    path("records/<uuid:enrollment_id>/certificate/", records.certificate, name="certificate"),
    # The public
    path("public/trainings/", public.trainings, name="public_trainings"),
    path("public/trainings/interest/", public.interest, name="public_interest"),
    path(
        "public/trainings/interest/thanks/",
        public.interest_thanks,
        name="public_interest_thanks",
    ),
]
