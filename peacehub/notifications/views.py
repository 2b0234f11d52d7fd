from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET, require_POST

from peacehub.http import paginate_uncounted, path_on_this_site
from peacehub.notifications.models import Notification
from peacehub.notifications.services import notifications_mark_read

FEED_SIZE = 20


@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    """The user's own notifications, newest first, a page at a time. Polled by htmx
    every few seconds from every page (the badge: a count only); the poll does not
    count as activity for the idle time-out."""
    mine = Notification.objects.for_user(request.user)
    unread = mine.unread().count()
    if request.GET.get("fragment") == "badge":
        return TemplateResponse(request, "notifications/includes/badge.html", {"unread": unread})
    page = paginate_uncounted(request, mine, per_page=FEED_SIZE)
    return TemplateResponse(
        request,
        "notifications/feed.html",
        {
            "page": page,
            "notifications": page.object_list,
            "unread": unread,
            # "Mark all as read" reads only what had come in when the list was shown.
            "shown_at": timezone.now(),
        },
    )


@require_GET
def open_notification(request: HttpRequest, notification_id: UUID) -> HttpResponse:
    """Following an alert reads it, and goes where it points."""
    notification = get_object_or_404(
        Notification.objects.for_user(request.user), pk=notification_id
    )
    notifications_mark_read(user=request.user, ids=[notification.pk])
    return redirect(path_on_this_site(request, notification.url) or "notifications:feed")


@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """Marks read what the page showed: an alert that came in since stays unread."""
    until = parse_datetime(request.POST.get("until", "") or "")
    notifications_mark_read(user=request.user, until=until)
    return redirect("notifications:feed")
