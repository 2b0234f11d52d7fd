import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from peacehub.notifications.models import Notification

logger = logging.getLogger(__name__)


def notify(
    *, recipients: Iterable, message: Callable[[], str], url: str, absolute_url: str
) -> list[Notification]:
    """Put a message in each recipient's feed, and e-mail it once the transaction has
    committed. ``message`` is called in each recipient's language; it must never name a
    person. A failed e-mail is recorded on the notification; the feed still has it."""
    notifications = []
    for user in {u.pk: u for u in recipients}.values():
        with translation.override(user.preferred_language):
            text = str(message())
        notifications.append(Notification(recipient=user, message=text, url=url))
    Notification.objects.bulk_create(notifications)
    ids = [n.pk for n in notifications]
    transaction.on_commit(lambda: notifications_email(ids=ids, absolute_url=absolute_url))
    return notifications


def notifications_email(*, ids: list, absolute_url: str) -> None:
    for notification in Notification.objects.filter(pk__in=ids).select_related("recipient"):
        user = notification.recipient
        try:
            with translation.override(user.preferred_language):
                send_mail(
                    subject=notification.message,
                    message=f"{notification.message}\n\n{absolute_url}\n",
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=[user.email],
                )
        except OSError as error:  # SMTP down, refused, timed out
            logger.warning("Notification e-mail to %s failed: %s", user.pk, error)
            notification.email_error = str(error)[:300]
            notification.save(update_fields=["email_error"])
        else:
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])


def notifications_mark_read(*, user, ids: list | None = None) -> int:
    unread = Notification.objects.for_user(user).unread()
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
