"""The append-only, hash-chained audit log.

Rows hold ids and labels, never foreign keys, so that deleting a user or a record can
never cascade into the log. The database refuses UPDATE and DELETE on events (triggers
in migration 0002), and each event's HMAC covers its content and its predecessor's
hash, so that `manage.py verify_audit` finds any row altered or removed behind the
database's back.
"""

from collections.abc import Sequence

from django.db import connections, models
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

    def actors_in(self, organization_ids: Sequence[str]) -> dict[str, str]:
        """Everyone who acted in these organizations' trails, former staff included
        (their memberships are deleted, their events stay): each actor id, with the
        email address their latest event there recorded.

        A loose index scan of the (organization_id, actor_id, sequence) index: each step
        seeks the next actor id after the previous one, so it costs a few index reads
        per actor however many years the trail holds, where SELECT DISTINCT would read
        every event. Plain SQL that SQLite and PostgreSQL both run; the ORM cannot
        write a recursive query. It reads the table directly: it ignores any filter
        already on this QuerySet."""
        if not organization_ids:
            return {}
        connection = connections[self.db]
        table = connection.ops.quote_name(self.model._meta.db_table)
        organizations = ", ".join(["(%s)"] * len(organization_ids))
        # Only the table's own name and placeholders are formatted in.
        sql = f"""
            WITH RECURSIVE organizations(id) AS (VALUES {organizations}),
            actors(organization_id, actor_id) AS (
                SELECT o.id, (
                    SELECT e.actor_id FROM {table} e
                    WHERE e.organization_id = o.id AND e.actor_id > ''
                    ORDER BY e.actor_id LIMIT 1
                ) FROM organizations o
                UNION ALL
                SELECT a.organization_id, (
                    SELECT e.actor_id FROM {table} e
                    WHERE e.organization_id = a.organization_id AND e.actor_id > a.actor_id
                    ORDER BY e.actor_id LIMIT 1
                ) FROM actors a WHERE a.actor_id IS NOT NULL
            )
            SELECT a.actor_id, (
                SELECT e.actor_email FROM {table} e
                WHERE e.organization_id = a.organization_id AND e.actor_id = a.actor_id
                ORDER BY e.sequence DESC LIMIT 1
            ) FROM actors a WHERE a.actor_id IS NOT NULL"""  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, list(organization_ids))
            rows = cursor.fetchall()
        return {actor_id: email for actor_id, email in rows}


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
        indexes = [
            models.Index(fields=["organization_id", "-sequence"]),
            # The trail filtered to one actor, newest first; and AuditEvent.objects.actors_in.
            models.Index(fields=["organization_id", "actor_id", "-sequence"]),
        ]

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
