"""The append-only, hash-chained audit log.

Rows hold ids and labels, never foreign keys, so that deleting a user or a record can
never cascade into the log. The database refuses UPDATE and DELETE on events (triggers
in migration 0002), and each event's HMAC covers its content and its predecessor's
hash, so that `manage.py verify_audit` finds any row altered or removed behind the
database's back.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    LIST = "list", _("Listed")
    SEARCH = "search", _("Searched")
    PRINT = "print", _("Printed")
    EXPORT = "export", _("Exported")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    STATUS_CHANGE = "status_change", _("Changed status")
    CONSENT_GIVEN = "consent_given", _("Recorded consent")
    CONSENT_REVOKED = "consent_revoked", _("Revoked consent")
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_OUT = "sign_out", _("Signed out")
    STAFF_CHANGE = "staff_change", _("Changed staff access")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit events are append-only.")

    def delete(self):
        raise PermissionError("Audit events are append-only.")


class AuditEvent(models.Model):
    sequence = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_id = models.CharField(max_length=36, blank=True, db_index=True)
    actor_email = models.CharField(max_length=254, blank=True)
    organization_id = models.CharField(max_length=36, blank=True, db_index=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    record_type = models.CharField(max_length=60, blank=True)
    record_id = models.CharField(max_length=36, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # Which fields changed, which ids a list showed: never the values themselves, so
    # that the log does not become a second copy of people's data.
    detail = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        indexes = [models.Index(fields=["organization_id", "-sequence"])]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.record_type} {self.record_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only.")


class AuditChainHead(models.Model):
    """One row: the last sequence number and hash. Locking it serializes appends."""

    sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
