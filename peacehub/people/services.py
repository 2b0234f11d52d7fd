"""Every change to a participant's record happens here, with its audit event, inside
one transaction: if the audit write fails, the change does not happen either."""

from datetime import date
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_request
from peacehub.people.eligibility import Criterion
from peacehub.people.models import (
    Consent,
    ConsentKind,
    EligibilityCheck,
    Person,
    Status,
    StatusChange,
)
from peacehub.people.search import search_columns

# The changes a person may make by hand, on the status form.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    Status.IDENTIFIED: {Status.ENGAGED, Status.CLOSED},
    Status.ENGAGED: {Status.CLOSED},
    Status.CASE_MANAGEMENT: {Status.ENGAGED, Status.CLOSED},
    Status.CLOSED: {Status.IDENTIFIED, Status.ENGAGED},
}
# "In case management" only comes with a case manager: a case manager accepts an
# introduction or opens a case (person_case_management_start). Set by hand, it left
# people with no case manager and no case, and no way left to introduce them.
CASE_MANAGEMENT_FROM = {Status.IDENTIFIED, Status.ENGAGED}
CASE_MANAGEMENT_BY_HAND = gettext_lazy(
    "A participant is in case management once a case manager accepts an introduction "
    "or opens a case, not by changing the status."
)

# What the forms say when a field required for one choice is left empty
# (required_for_a_choice), and the services say the same, on the same field, to a page
# or an API client that reaches them.
CLOSING_REASON_WHEN = gettext_lazy("Required when closing the record.")
CLOSING_REASON_MISSING = gettext_lazy(
    "Give the reason for closing: it is required when closing the record."
)
CONSENT_RECIPIENT_WHEN = gettext_lazy("Required when the consent is to share information.")
CONSENT_RECIPIENT_MISSING = gettext_lazy(
    "Name the organization the person agrees to share with: it is required "
    "when the consent is to share information."
)
CONSENT_EXPIRES_BEFORE_GIVEN = gettext_lazy("The consent cannot expire before it was given.")
CONSENT_ALREADY_REVOKED = gettext_lazy("This consent was already revoked.")

PERSON_FIELDS = [
    "legal_first_name",
    "legal_last_name",
    "preferred_name",
    "nicknames",
    "date_of_birth",
    "estimated_birth_year",
    "gender",
    "preferred_language",
    "phone",
    "community_area",
]
# Who works with the person; set by the services of outreach and case management, never
# by the person form.
ASSIGNMENT_FIELDS = ["outreach_worker", "case_manager"]


def person_refresh_search(person: Person) -> None:
    person.search_text, person.search_codes = search_columns(
        person.legal_first_name, person.legal_last_name, person.preferred_name, person.nicknames
    )


@transaction.atomic
def person_create(*, request, organization, data: dict[str, Any]) -> Person:
    person = Person(organization=organization, created_by=request.user)
    for field in PERSON_FIELDS + ASSIGNMENT_FIELDS:
        if field in data:
            setattr(person, field, data[field])
    person_refresh_search(person)
    person.full_clean()
    person.save(force_insert=True)
    StatusChange.objects.create(
        person=person, from_status="", to_status=person.status, changed_by=request.user
    )
    audit_request(request, AuditAction.CREATE, person)
    return person


@transaction.atomic
def person_update(*, request, person: Person, data: dict[str, Any]) -> list[str]:
    """Apply the given fields; returns the names of those that changed."""
    changed = [
        f for f in PERSON_FIELDS + ASSIGNMENT_FIELDS if f in data and getattr(person, f) != data[f]
    ]
    if not changed:
        return []
    for field in changed:
        setattr(person, field, data[field])
    person_refresh_search(person)
    person.updated_at = timezone.now()
    person.full_clean()
    person.save(
        update_fields=[
            *(f for f in changed),
            "search_text",
            "search_codes",
            "updated_at",
        ]
    )
    audit_request(request, AuditAction.UPDATE, person, detail={"fields": changed})
    return changed


def _refuse_move(person: Person, to_status: str) -> NoReturn:
    raise ValidationError(
        _("A participant cannot move from “%(from)s” to “%(to)s”.")
        % {"from": Status(person.status).label, "to": Status(to_status).label}
    )


@transaction.atomic
def person_status_change(
    *, request, person: Person, to_status: str, reason: str = "", note: str = ""
) -> StatusChange:
    """A change of status made by hand."""
    if to_status == Status.CASE_MANAGEMENT:
        raise ValidationError(CASE_MANAGEMENT_BY_HAND)
    if to_status not in ALLOWED_TRANSITIONS.get(person.status, set()):
        _refuse_move(person, to_status)
    open_case = person.cases.filter(closed_on=None).select_related("case_manager").first()
    if open_case is not None:
        # Out of case management with the case still open would leave it on a caseload
        # while the record says otherwise; closing the case is the case manager's call.
        raise ValidationError(
            _(
                "This participant has an open case with %(case_manager)s, "
                "which must be closed first."
            )
            % {"case_manager": open_case.case_manager.full_name}
        )
    if to_status == Status.CLOSED and not reason:
        raise ValidationError({"reason": CLOSING_REASON_MISSING})
    return _status_change(
        request=request, person=person, to_status=to_status, reason=reason, note=note
    )


@transaction.atomic
def person_case_management_start(*, request, person: Person, note: str = "") -> StatusChange:
    """The person comes into case management: for the services of the hand-off only
    (an introduction accepted, a case opened), which set the case manager."""
    if person.status not in CASE_MANAGEMENT_FROM:
        _refuse_move(person, Status.CASE_MANAGEMENT)
    return _status_change(
        request=request, person=person, to_status=Status.CASE_MANAGEMENT, note=note
    )


@transaction.atomic
def person_case_management_end(*, request, person: Person, note: str = "") -> StatusChange | None:
    """The person's case closed: back to "Engaged in outreach", where outreach keeps
    working with them. For the service that closes a case only: by hand, leaving case
    management is refused while a case is open, and closing the case is the way out.
    Nothing changes (None) for a person not in case management, or with another case
    still open."""
    if person.status != Status.CASE_MANAGEMENT or person.cases.filter(closed_on=None).exists():
        return None
    return _status_change(request=request, person=person, to_status=Status.ENGAGED, note=note)


def _status_change(
    *, request, person: Person, to_status: str, reason: str = "", note: str = ""
) -> StatusChange:
    change = StatusChange.objects.create(
        person=person,
        from_status=person.status,
        to_status=to_status,
        reason=reason if to_status == Status.CLOSED else "",
        note=note,
        changed_by=request.user,
    )
    person.status = to_status
    person.status_changed_at = change.changed_at
    person.updated_at = change.changed_at
    person.save(update_fields=["status", "status_changed_at", "updated_at"])
    audit_request(
        request,
        AuditAction.STATUS_CHANGE,
        person,
        detail={"from": change.from_status, "to": to_status},
    )
    return change


@transaction.atomic
def eligibility_record(
    *, request, person: Person, answers: dict[str, dict[str, Any] | None]
) -> list[str]:
    """Save the checklist. ``answers`` maps a criterion to its entry (met, checked_on,
    note, contested_note), or to None to clear it, as a person may ask. Criteria left
    out are not touched. Returns the criteria whose entry changed."""
    existing = {check.criterion: check for check in person.eligibility_checks.all()}
    changed = []
    for criterion in Criterion.values:
        if criterion not in answers:
            continue
        answer, check = answers[criterion], existing.get(criterion)
        if answer is None:
            if check is not None:
                check.delete()
                changed.append(criterion)
            continue
        values = {
            "met": answer["met"],
            "checked_on": answer["checked_on"],
            "note": answer.get("note", ""),
            "contested_note": answer.get("contested_note", ""),
        }
        if check is not None and all(getattr(check, k) == v for k, v in values.items()):
            continue
        if check is None:
            check = EligibilityCheck(person=person, criterion=criterion)
        for key, value in values.items():
            setattr(check, key, value)
        check.recorded_by = request.user
        check.recorded_at = timezone.now()
        check.save()
        changed.append(criterion)
    if changed:
        audit_request(request, AuditAction.UPDATE, person, detail={"eligibility": changed})
    return changed


@transaction.atomic
def consent_record(
    *,
    request,
    person: Person,
    kind: str,
    method: str,
    given_on: date,
    expires_on: date | None = None,
    recipient=None,
    scope: list[str] | None = None,
) -> Consent:
    # The form's checks, with its words: full_clean() would name the database
    # constraint ("consent_share_names_recipient") to whoever reaches this without it.
    if kind == ConsentKind.SHARE and recipient is None:
        raise ValidationError({"recipient": CONSENT_RECIPIENT_MISSING})
    if expires_on is not None and expires_on < given_on:
        raise ValidationError({"expires_on": CONSENT_EXPIRES_BEFORE_GIVEN})
    consent = Consent(
        person=person,
        kind=kind,
        method=method,
        given_on=given_on,
        expires_on=expires_on,
        recipient=recipient,
        scope=sorted(scope or []),
        recorded_by=request.user,
    )
    consent.full_clean()
    consent.save(force_insert=True)
    audit_request(
        request,
        AuditAction.CONSENT_GIVEN,
        person,
        detail={"consent": str(consent.pk), "kind": kind},
    )
    return consent


@transaction.atomic
def consent_revoke(*, request, consent: Consent, note: str = "") -> Consent:
    """Revocation takes effect at once: every access check reads current consents. The
    referrals the consent carried that are still open close with it."""
    # Referrals build on people (a referral names a consent), not the other way round:
    # imported when a consent is revoked, not when this module loads.
    from peacehub.referrals.services import referrals_close_for_revoked_consent

    if consent.revoked_at is not None:
        raise ValidationError(CONSENT_ALREADY_REVOKED)
    consent.revoked_at = timezone.now()
    consent.revoked_by = request.user
    consent.revocation_note = note
    consent.save(update_fields=["revoked_at", "revoked_by", "revocation_note"])
    audit_request(
        request,
        AuditAction.CONSENT_REVOKED,
        consent.person,
        detail={"consent": str(consent.pk), "kind": consent.kind},
    )
    referrals_close_for_revoked_consent(request=request, consent=consent)
    return consent
