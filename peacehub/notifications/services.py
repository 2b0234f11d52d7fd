import logging
import threading
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone, translation

from peacehub.notifications.models import Notification

logger = logging.getLogger(__name__)

# E-mails of a request wait until its response has gone out: the worker reporting a
# shooting from a phone must not wait on the mail server. The WSGI server closes the
# response once it has sent it, and Django then sends request_finished.
_this_request = threading.local()


def after_response_started(**kwargs) -> None:
    _this_request.waiting = []


def after_response_finished(**kwargs) -> None:
    waiting, _this_request.waiting = getattr(_this_request, "waiting", None), None
    for send in waiting or []:
        try:
            send()
        except Exception:  # the response is gone: nobody else would hear of it
            logger.exception("Sending alert e-mails after the response failed")


def _after_response(send: Callable[[], None]) -> None:
    waiting = getattr(_this_request, "waiting", None)
    if waiting is None:  # no request under way (a management command): send now
        send()
    else:
        waiting.append(send)


def notify(
    *, recipients: Iterable, message: Callable[[], str], url: str, absolute_url: str
) -> list[Notification]:
    """Put a message in each recipient's feed, and e-mail it once the transaction has
    committed and the response has gone out. ``message`` is called in each language of
    the site, the feed showing the reader's; it must never name a person. A failed
    e-mail is recorded on the notification; the feed still has it."""
    texts = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            texts[language] = str(message())
    notifications = [
        Notification(
            recipient=user,
            message=texts.get(user.preferred_language, texts[settings.LANGUAGE_CODE]),
            texts=texts,
            url=url,
        )
        for user in {u.pk: u for u in recipients}.values()
    ]
    Notification.objects.bulk_create(notifications)
    ids = [n.pk for n in notifications]
    transaction.on_commit(
        lambda: _after_response(lambda: notifications_email(ids=ids, absolute_url=absolute_url))
    )
    return notifications


def notifications_email(*, ids: list, absolute_url: str) -> None:
    """One SMTP connection for the whole batch: a mail server that does not answer
    costs one timeout, not one per on-duty worker, of a server process that the next
    request is waiting for."""
    pending = list(Notification.objects.filter(pk__in=ids).select_related("recipient"))
    if not pending:
        return
    connection = get_connection()
    try:
        connection.open()
    except OSError as error:  # SMTP down, refused, timed out
        for notification in pending:
            _email_failed(notification, error)
        return
    try:
        for notification in pending:
            user = notification.recipient
            with translation.override(user.preferred_language):
                email = EmailMessage(
                    subject=notification.message,
                    body=f"{notification.message}\n\n{absolute_url}\n",
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[user.email],
                    connection=connection,
                )
            try:
                email.send()
            except OSError as error:  # smtplib's errors are OSErrors too
                _email_failed(notification, error)
            else:
                notification.emailed_at = timezone.now()
                notification.save(update_fields=["emailed_at"])
    finally:
        connection.close()


def _email_failed(notification: Notification, error: OSError) -> None:
    logger.warning("Notification e-mail to %s failed: %s", notification.recipient_id, error)
    notification.email_error = str(error)[:300]
    notification.save(update_fields=["email_error"])


def notifications_mark_read(*, user, ids: list | None = None, until=None) -> int:
    """The user's unread notifications, or those of ``ids``, or those that came in by
    ``until`` (what a page showed), become read."""
    unread = Notification.objects.for_user(user).unread()
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    if until is not None:
        unread = unread.filter(created_at__lte=until)
    return unread.update(read_at=timezone.now())


def notifications_purge() -> int:
    """Alerts older than NOTIFICATION_RETENTION, read or not: the record they pointed at
    stays where it is."""
    cutoff = timezone.now() - settings.NOTIFICATION_RETENTION
    deleted, _ = Notification.objects.filter(created_at__lt=cutoff).delete()
    return deleted
