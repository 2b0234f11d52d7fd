import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message to one staff member, without any person's name: it may be read on a
    lock screen or a shared phone. Written in every language of the site (``texts``),
    so that it reads in the language the person uses when they read it; ``message`` is
    the one of their preferred language when it was sent, for the e-mail."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.CharField(max_length=300)
    texts = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.CharField(max_length=300, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "-created_at"])]

    def __str__(self) -> str:
        return self.message

    def text(self, language: str | None = None) -> str:
        """The message in ``language`` (the active one by default)."""
        return self.texts.get(language or get_language(), self.message)
