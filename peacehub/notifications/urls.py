from django.urls import path

from peacehub.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.feed, name="feed"),
    path("read/", views.mark_read, name="mark_read"),
    path("<uuid:notification_id>/", views.open_notification, name="open"),
]
