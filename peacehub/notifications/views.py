from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_POST

from peacehub.notifications.models import Notification
from peacehub.notifications.services import notifications_mark_read

FEED_SIZE = 20


@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    """The user's own notifications. Polled by htmx every few seconds from every page;
    the poll does not count as activity for the idle time-out."""
    items = list(Notification.objects.for_user(request.user)[:FEED_SIZE])
    unread = sum(1 for n in items if n.read_at is None)
    template = "notifications/feed.html"
    if request.GET.get("fragment") == "badge":
        template = "notifications/includes/badge.html"
    return TemplateResponse(request, template, {"notifications": items, "unread": unread})


@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    notifications_mark_read(user=request.user)
    return redirect("notifications:feed")
