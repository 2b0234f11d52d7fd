import hashlib
import hmac
import json

from django.conf import settings

GENESIS_HASH = "0" * 64


def event_hash(event) -> str:
    """HMAC-SHA256 of an event's content and its predecessor's hash."""
    content = json.dumps(
        [
            event.sequence,
            event.occurred_at.isoformat(),
            event.actor_id,
            event.actor_email,
            event.organization_id,
            event.action,
            event.record_type,
            event.record_id,
            event.ip_address or "",
            event.detail,
            event.previous_hash,
        ],
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hmac.new(settings.AUDIT_HMAC_KEY.encode(), content.encode(), hashlib.sha256).hexdigest()
