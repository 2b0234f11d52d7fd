from django.urls import path

from peacehub.events.views import manage, public, summer

app_name = "events"
urlpatterns = [
    # Public: no sign-in (tests/test_security_policies.py lists them).
    path("", public.calendar_month, name="calendar"),
    path("list/", public.event_list, name="list"),
    path("near/", public.near, name="near"),
    path("calendar.ics", public.feed, name="feed"),
    path("areas/<slug:area_slug>/calendar.ics", public.area_feed, name="area_feed"),
    path("<uuid:event_id>/", public.event_detail, name="detail"),
    path("<uuid:event_id>/calendar.ics", public.event_ics, name="event_ics"),
    # Staff.
    path("manage/", manage.manage, name="manage"),
    path("manage/events/new/", manage.event_new, name="event_new"),
    path("manage/events/<uuid:event_id>/edit/", manage.event_edit, name="event_edit"),
    path("manage/events/<uuid:event_id>/cancel/", manage.event_cancel, name="event_cancel"),
    path("manage/events/<uuid:event_id>/attendance/", manage.attendance, name="attendance"),
    path("manage/series/new/", manage.series_new, name="series_new"),
    path("manage/series/<uuid:series_id>/", manage.series_detail, name="series"),
    path("manage/series/<uuid:series_id>/edit/", manage.series_edit, name="series_edit"),
    path("manage/series/<uuid:series_id>/cancel/", manage.series_cancel, name="series_cancel"),
    path("manage/places/", manage.place_list, name="places"),
    path("manage/places/new/", manage.place_new, name="place_new"),
    path("summer-check/", summer.summer, name="summer"),
]
