from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from peacehub.audit.chain import event_hash
from peacehub.audit.models import AuditAction, AuditChainHead, AuditEvent


def client_ip(request) -> str | None:
    if request is None:
        return None
    if settings.USE_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def _record_label(record: models.Model) -> str:
    return record._meta.label_lower


def _organization_of(record: models.Model | None) -> str:
    if record is None:
        return ""
    organization_id = getattr(record, "organization_id", None)
    return str(organization_id) if organization_id else ""


def audit_event_record(
    *,
    actor,
    action: AuditAction,
    record: models.Model | None = None,
    record_type: str = "",
    record_id: str = "",
    organization_id: str = "",
    ip_address: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain. Runs in the caller's transaction when there is
    one, so an event is never written for a change that rolled back, and without a
    savepoint of its own: an event that fails must roll the change back with it."""
    with transaction.atomic(savepoint=False):
        head = AuditChainHead.objects.select_for_update().get(pk=1)
        event = AuditEvent(
            sequence=head.sequence + 1,
            occurred_at=timezone.now(),
            actor_id=str(actor.pk) if getattr(actor, "pk", None) else "",
            actor_email=getattr(actor, "email", "") or "",
            organization_id=organization_id or _organization_of(record),
            action=action,
            record_type=_record_label(record) if record is not None else record_type,
            record_id=str(record.pk) if record is not None else record_id,
            ip_address=ip_address,
            detail=detail or {},
            previous_hash=head.last_hash,
        )
        event.hash = event_hash(event)
        event.save(force_insert=True)
        head.sequence, head.last_hash = event.sequence, event.hash
        head.save(update_fields=["sequence", "last_hash"])
    return event


def audit_request(
    request,
    action: AuditAction,
    record: models.Model | None = None,
    *,
    detail: dict[str, Any] | None = None,
    **kwargs,
) -> AuditEvent:
    return audit_event_record(
        actor=request.user,
        action=action,
        record=record,
        ip_address=client_ip(request),
        detail=detail,
        **kwargs,
    )


def audit_listing(
    request, action: AuditAction, records: Iterable[models.Model], *, record_type: str, **detail
) -> AuditEvent:
    """One event for a page of results: which records were shown, and to whom."""
    ids = [str(record.pk) for record in records]
    return audit_request(
        request, action, record_type=record_type, detail={"record_ids": ids, **detail}
    )


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    reason: str


def audit_chain_verify() -> ChainBreak | None:
    """Walk the whole chain; return the first broken link, or None when it holds."""
    previous_hash = "0" * 64
    expected_sequence = 1
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000):
        if event.sequence != expected_sequence:
            return ChainBreak(
                expected_sequence,
                f"event #{expected_sequence} is missing (the next one is #{event.sequence})",
            )
        if event.previous_hash != previous_hash:
            return ChainBreak(
                event.sequence,
                f"event #{event.sequence} does not link to the event before it",
            )
        if event_hash(event) != event.hash:
            return ChainBreak(
                event.sequence, f"event #{event.sequence} was altered after it was written"
            )
        previous_hash = event.hash
        expected_sequence += 1
    head = AuditChainHead.objects.get(pk=1)
    if head.sequence != expected_sequence - 1 or head.last_hash != previous_hash:
        return ChainBreak(
            expected_sequence,
            f"the log ends at event #{expected_sequence - 1} but #{head.sequence} was written "
            "(events were removed from the end)",
        )
    return None
