"""Every write of street outreach, with its audit event and its notifications, inside
one transaction."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peacehub.accounts.models import Membership, Organization
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_request
from peacehub.cases.models import Case
from peacehub.cases.services import case_open
from peacehub.dates import (
    reject_after,
    reject_before,
    reject_future_day,
    reject_future_moment,
    years_ahead,
)
from peacehub.notifications.services import notify
from peacehub.outreach.duty import on_duty_responders, shifts_overlap
from peacehub.outreach.models import (
    RESPONSE_ORDER,
    Agreement,
    AgreementStateChange,
    Conflict,
    ConflictParty,
    Contact,
    DutyShift,
    Incident,
    IncidentPerson,
    IncidentResponse,
    Introduction,
    IntroductionStatus,
    MediationSession,
    ResponseAction,
    ResponseState,
)
from peacehub.outreach.places import reject_house_numbers
from peacehub.people.models import Status
from peacehub.people.services import person_case_management_start

# How long after logging a contact its worker may take it back ("Undo"): long enough
# to notice the wrong person or a double tap, short enough that nobody has relied on it.
CONTACT_UNDO_MINUTES = 10
CONTACT_UNDO_WINDOW = datetime.timedelta(minutes=CONTACT_UNDO_MINUTES)
# How long its worker may correct a contact (a typo in the note, the wrong type, time or
# area): a week covers writing up a weekend's shifts; later, the record has been read
# and counted. Who it was with is never corrected: the wrong person is what Undo is for.
CONTACT_CORRECTION_WINDOW = datetime.timedelta(days=7)
CONTACT_CORRECTABLE_FIELDS = (
    "contact_type",
    "occurred_at",
    "community_area",
    "minutes",
    "topics",
    "note",
    "follow_up_by",
)

FOLLOW_UP_IN_THE_PAST = gettext_lazy("A follow-up date cannot be in the past.")
FOLLOW_UP_TOO_FAR = gettext_lazy("A follow-up date cannot be more than a year ahead.")
REVIEW_BEFORE_MADE = gettext_lazy(
    "The review cannot come before the agreement was made (%(date)s)."
)
# An agreement is reviewed within months, a few years at most: further is a slip.
REVIEW_YEARS_AHEAD = 5
REVIEW_TOO_FAR = gettext_lazy("A review date cannot be more than %(years)s years ahead.")
NOTHING_TO_RECORD = gettext_lazy(
    "Nothing to record: choose another state, write a note, or give the next review date."
)
RETURN_REASON_MISSING = gettext_lazy("Say why the introduction is returned.")
PARTY_MISSING = gettext_lazy("Choose a participant or write a neutral group label.")
PARTY_BOTH = gettext_lazy("Choose a participant or write a neutral group label, not both.")
PARTY_PERSON_TWICE = gettext_lazy("This participant is already a party to this mediation.")
PARTY_GROUP_TWICE = gettext_lazy("“%(label)s” is already a party to this mediation.")


@transaction.atomic
def contact_log(*, request, organization, data: dict[str, Any]) -> Contact:
    person = data.get("person")
    if person is not None and person.organization_id != organization.pk:
        raise ValidationError(_("Choose a participant of your organization."))
    reject_future_moment(data["occurred_at"], _("A contact cannot be in the future."))
    reject_before(data["occurred_at"], field="occurred_at")
    follow_up_by = data.get("follow_up_by")
    if follow_up_by is not None and follow_up_by < timezone.localdate():
        raise ValidationError({"follow_up_by": FOLLOW_UP_IN_THE_PAST})
    reject_after(follow_up_by, years_ahead(1), FOLLOW_UP_TOO_FAR, "follow_up_by")
    contact = Contact.objects.create(
        organization=organization,
        worker=request.user,
        person=person,
        non_participant="" if person else data.get("non_participant", ""),
        contact_type=data["contact_type"],
        occurred_at=data["occurred_at"],
        community_area=data["community_area"],
        minutes=data.get("minutes"),
        # Each topic once: a topic ticked twice (two taps, a client sending it twice)
        # would count twice in every tally of topics.
        topics=sorted(set(data.get("topics") or [])),
        note=data.get("note", ""),
        follow_up_by=follow_up_by,
    )
    audit_request(
        request,
        AuditAction.CREATE,
        contact,
        detail={"person": str(person.pk)} if person else None,
    )
    if person is not None:
        # This contact is the follow-up the worker owed the person: their follow-ups
        # due by today are done. One planned for later stays on the list.
        due = Contact.objects.filter(
            worker=request.user,
            follow_up_done_at__isnull=True,
            follow_up_by__lte=timezone.localdate(),
            person=person,
        ).exclude(pk=contact.pk)
        for earlier in due.defer("note"):
            # Done at the moment the contact was logged, so that undoing the contact
            # finds the follow-ups it settled and puts them back.
            contact_follow_up_done(request=request, contact=earlier, at=contact.created_at)
    return contact


def contact_undoable(contact: Contact, user) -> bool:
    """The worker's own contact, logged within CONTACT_UNDO_WINDOW."""
    return (
        contact.worker_id == user.pk and timezone.now() - contact.created_at <= CONTACT_UNDO_WINDOW
    )


@transaction.atomic
def contact_undo(*, request, contact: Contact) -> None:
    """Take back a contact just logged by mistake (the wrong person, a double tap): it
    is deleted, and the follow-ups its logging settled are owed again. Only its worker,
    only within CONTACT_UNDO_WINDOW. The audit log keeps that it existed."""
    if contact.worker_id != request.user.pk:
        raise ValidationError(_("Only the worker who logged a contact can undo it."))
    if not contact_undoable(contact, request.user):
        raise ValidationError(
            _(
                "This contact was logged more than %(minutes)s minutes ago: it can no "
                "longer be undone."
            )
            % {"minutes": CONTACT_UNDO_MINUTES}
        )
    settled = Contact.objects.filter(
        worker=contact.worker_id,
        person=contact.person_id,
        follow_up_done_at=contact.created_at,
    ).exclude(pk=contact.pk)
    for earlier in settled.defer("note") if contact.person_id else []:
        contact_follow_up_reopen(request=request, contact=earlier)
    audit_request(
        request,
        AuditAction.DELETE,
        contact,
        detail={"undone": True, **({"person": str(contact.person_id)} if contact.person else {})},
    )
    contact.delete()


def contact_correctable(contact: Contact, user) -> bool:
    """The worker's own contact, logged within CONTACT_CORRECTION_WINDOW."""
    return (
        contact.worker_id == user.pk
        and timezone.now() - contact.created_at <= CONTACT_CORRECTION_WINDOW
    )


def contact_too_old_to_correct() -> str:
    return _(
        "This contact was logged more than %(days)s days ago: it can no longer be corrected."
    ) % {"days": CONTACT_CORRECTION_WINDOW.days}


def _same_moment(new: datetime.datetime, old: datetime.datetime) -> bool:
    """A form shows the time to the minute: the time sent back unchanged is the same."""
    if new == old:
        return True
    return new.second == 0 and new.microsecond == 0 and new == old.replace(second=0, microsecond=0)


@transaction.atomic
def contact_correct(*, request, contact: Contact, data: dict[str, Any]) -> list[str]:
    """Correct a contact its worker logged, within CONTACT_CORRECTION_WINDOW, by the
    rules of logging one. Who it was with stays: the wrong person is for Undo. Returns
    the names of the fields changed; the audit event names them, never their values.
    Nothing changed, nothing is written."""
    if contact.worker_id != request.user.pk:
        raise ValidationError(_("Only the worker who logged a contact can correct it."))
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if not contact_correctable(contact, request.user):
        raise ValidationError(contact_too_old_to_correct())
    person = data.get("person", contact.person)
    non_participant = data.get("non_participant", contact.non_participant) or ""
    if (
        getattr(person, "pk", person) != contact.person_id
        or non_participant != contact.non_participant
    ):
        raise ValidationError(
            {"person": _("Who a contact was with cannot be changed by a correction.")}
        )
    occurred_at = data.get("occurred_at", contact.occurred_at)
    if not _same_moment(occurred_at, contact.occurred_at):
        reject_future_moment(occurred_at, _("A contact cannot be in the future."), "occurred_at")
        reject_before(occurred_at, field="occurred_at")
    else:
        occurred_at = contact.occurred_at
    follow_up_by = data.get("follow_up_by", contact.follow_up_by)
    # A follow-up date that has passed since logging stands when left as it was.
    if follow_up_by != contact.follow_up_by:
        if follow_up_by is not None and follow_up_by < timezone.localdate():
            raise ValidationError({"follow_up_by": FOLLOW_UP_IN_THE_PAST})
        reject_after(follow_up_by, years_ahead(1), FOLLOW_UP_TOO_FAR, "follow_up_by")
    if "community_area" in data and data["community_area"] is None:
        raise ValidationError({"community_area": _("Choose a community area from the list.")})
    wanted = {
        "contact_type": data.get("contact_type", contact.contact_type),
        "occurred_at": occurred_at,
        "community_area": data.get("community_area", contact.community_area),
        "minutes": data.get("minutes", contact.minutes),
        # Each topic once, as when logging.
        "topics": sorted(set(data["topics"] or [])) if "topics" in data else contact.topics,
        "note": data.get("note", contact.note) or "",
        "follow_up_by": follow_up_by,
    }
    changed = []
    for field in CONTACT_CORRECTABLE_FIELDS:
        old, new = getattr(contact, field), wanted[field]
        if field == "community_area":
            old, new = contact.community_area_id, new.pk
        elif field == "topics":
            old, new = sorted(set(old or [])), sorted(set(new))
        if old != new:
            changed.append(field)
            setattr(contact, field, wanted[field])
    if changed:
        contact.save(update_fields=changed)
        audit_request(
            request,
            AuditAction.UPDATE,
            contact,
            detail={"fields": changed, "corrected": True},
        )
    return changed


@transaction.atomic
def contact_follow_up_done(*, request, contact: Contact, at=None) -> Contact:
    if contact.follow_up_done_at is None:
        contact.follow_up_done_at = at or timezone.now()
        contact.save(update_fields=["follow_up_done_at"])
        audit_request(request, AuditAction.UPDATE, contact, detail={"fields": ["follow_up"]})
    return contact


@transaction.atomic
def contact_follow_up_reopen(*, request, contact: Contact) -> Contact:
    """Undo "Done" tapped by mistake: the follow-up is owed again, by its date."""
    if contact.follow_up_by is None:
        raise ValidationError(_("This contact has no follow-up."))
    if contact.follow_up_done_at is not None:
        contact.follow_up_done_at = None
        contact.save(update_fields=["follow_up_done_at"])
        audit_request(
            request,
            AuditAction.UPDATE,
            contact,
            detail={"fields": ["follow_up"], "reopened": True},
        )
    return contact


def _incident_message(incident: Incident):
    """The alert text, in the reader's language, without any name:
    "Non-fatal shooting in Englewood at 22:40 — open PeaceHub" (with the date when it
    was not today)."""
    moment = timezone.localtime(incident.occurred_at)

    def message() -> str:
        values = {
            "kind": incident.get_kind_display(),
            "area": incident.community_area.name,
            "time": moment.strftime("%H:%M"),
            "date": date_format(moment, "SHORT_DATE_FORMAT"),
        }
        if moment.date() == timezone.localdate():
            return _("%(kind)s in %(area)s at %(time)s — open PeaceHub") % values
        return _("%(kind)s in %(area)s on %(date)s at %(time)s — open PeaceHub") % values

    return message


@transaction.atomic
def incident_report(*, request, organization, data: dict[str, Any]) -> Incident:
    """Record an incident, open a response for every organization serving the area
    (and the reporting one), and alert their on-duty responders other than the person
    reporting it, who knows. An incident recorded more than ALERT_WINDOW after it
    happened (peacehub.outreach.models) alerts no one (``incident.alerted`` is False)."""
    reject_future_moment(data["occurred_at"], _("An incident cannot be in the future."))
    # Refused before anything is written, so that a mistyped year alerts no one.
    reject_before(data["occurred_at"], field="occurred_at")
    reject_house_numbers(block=data.get("block", ""), summary=data.get("summary", ""))
    incident = Incident.objects.create(
        kind=data["kind"],
        occurred_at=data["occurred_at"],
        community_area=data["community_area"],
        block=data.get("block", ""),
        source=data["source"],
        summary=data.get("summary", ""),
        reported_by_organization=organization,
        reported_by=request.user,
    )
    # Partners serving the area respond (providers and the convener have no street
    # responders), and so does the organization that reported it.
    responding = set(
        data["community_area"]
        .organizations.filter(kind=Organization.Kind.PARTNER)
        .values_list("pk", flat=True)
    ) | {organization.pk}
    now = timezone.now()
    IncidentResponse.objects.bulk_create(
        [
            IncidentResponse(incident=incident, organization_id=org_id, notified_at=now)
            for org_id in responding
        ]
    )
    audit_request(request, AuditAction.CREATE, incident, organization_id=str(organization.pk))
    incident.alerted = not incident.recorded_too_late_to_alert
    incident.alerted_count = 0
    if incident.alerted:
        url = reverse("outreach:incident", args=[incident.pk])
        alerted = notify(
            recipients=[u for u in on_duty_responders(responding) if u.pk != request.user.pk],
            message=_incident_message(incident),
            url=url,
            absolute_url=request.build_absolute_uri(url),
        )
        incident.alerted_count = len(alerted)
    return incident


@transaction.atomic
def incident_close(*, request, incident: Incident) -> Incident:
    if incident.closed_at is None:
        incident.closed_at = timezone.now()
        incident.save(update_fields=["closed_at"])
        audit_request(request, AuditAction.UPDATE, incident, detail={"fields": ["closed"]})
    return incident


@transaction.atomic
def incident_reopen(*, request, incident: Incident) -> Incident:
    """Undo a closing made by mistake. Reopening alerts no one again."""
    if incident.closed_at is not None:
        incident.closed_at = None
        incident.save(update_fields=["closed_at"])
        audit_request(
            request, AuditAction.UPDATE, incident, detail={"fields": ["closed"], "reopened": True}
        )
    return incident


@transaction.atomic
def incident_person_link(*, request, incident: Incident, person, relation: str) -> IncidentPerson:
    link, created = IncidentPerson.objects.get_or_create(
        incident=incident,
        person=person,
        relation=relation,
        defaults={"organization_id": person.organization_id, "added_by": request.user},
    )
    if created:
        audit_request(
            request,
            AuditAction.UPDATE,
            person,
            detail={"incident": str(incident.pk), "relation": relation},
        )
    return link


@transaction.atomic
def incident_person_unlink(*, request, link: IncidentPerson) -> None:
    """Remove a link made by mistake: a person wrongly tied to a shooting must not stay
    so. The audit log keeps that the link existed, and who removed it."""
    deleted, _rows = IncidentPerson.objects.filter(pk=link.pk).delete()
    if deleted:
        audit_request(
            request,
            AuditAction.UPDATE,
            link.person,
            detail={
                "incident": str(link.incident_id),
                "relation": link.relation,
                "unlinked": True,
            },
        )


_STEP_FIELDS = {
    ResponseState.ACKNOWLEDGED: ("acknowledged_at", "acknowledged_by"),
    ResponseState.ON_SCENE: ("on_scene_at", "on_scene_by"),
    ResponseState.FOLLOW_UP_DONE: ("follow_up_done_at", "follow_up_done_by"),
}


@transaction.atomic
def response_advance(*, request, response: IncidentResponse, to_state: str) -> IncidentResponse:
    """Move one step: notified → acknowledged → on scene → follow-up done. Steps cannot
    be skipped or undone. The step already taken, asked again (a double tap on a slow
    phone, or two workers at once), changes nothing: its first time and worker stand."""
    response = IncidentResponse.objects.select_for_update().get(pk=response.pk)
    if to_state == response.state:
        return response
    current = RESPONSE_ORDER.index(ResponseState(response.state))
    if (
        to_state not in ResponseState.values
        or RESPONSE_ORDER.index(ResponseState(to_state)) != current + 1
    ):
        raise ValidationError(
            _("The response is “%(state)s”; the next step is “%(next)s”.")
            % {
                "state": ResponseState(response.state).label,
                "next": RESPONSE_ORDER[current + 1].label
                if current + 1 < len(RESPONSE_ORDER)
                else _("none"),
            }
        )
    at_field, by_field = _STEP_FIELDS[ResponseState(to_state)]
    setattr(response, at_field, timezone.now())
    setattr(response, by_field, request.user)
    response.state = to_state
    response.save(update_fields=["state", at_field, by_field])
    audit_request(
        request,
        AuditAction.UPDATE,
        response,
        detail={"state": to_state, "incident": str(response.incident_id)},
    )
    return response


@transaction.atomic
def response_action_add(
    *, request, response: IncidentResponse, kind: str, note: str = ""
) -> ResponseAction:
    action = ResponseAction.objects.create(
        response=response, kind=kind, note=note, worker=request.user
    )
    audit_request(
        request,
        AuditAction.CREATE,
        action,
        organization_id=str(response.organization_id),
        detail={"incident": str(response.incident_id), "kind": kind},
    )
    return action


# --- Duty shifts ----------------------------------------------------------------------


@transaction.atomic
def duty_shift_add(
    *, membership: Membership, weekday: int, starts_at: datetime.time, ends_at: datetime.time
) -> DutyShift:
    """A weekly shift of a worker that overlaps none they have: the same shift twice (a
    second tap on Add) or one inside another says nothing new, and hides a mistake."""
    # Locked, so that two taps at once do not both find the week free.
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if starts_at == ends_at:
        raise ValidationError({"ends_at": _("A shift must end at another time than it starts.")})
    shift = DutyShift(membership=membership, weekday=weekday, starts_at=starts_at, ends_at=ends_at)
    for existing in membership.duty_shifts.all():
        if shifts_overlap(shift, existing):
            raise ValidationError(
                _("%(name)s already has a shift that overlaps this one: %(shift)s.")
                % {"name": membership.user.full_name, "shift": existing}
            )
    shift.save()
    return shift


@transaction.atomic
def duty_shift_remove(*, shift: DutyShift) -> None:
    DutyShift.objects.filter(pk=shift.pk).delete()


# --- Mediations -----------------------------------------------------------------------


@transaction.atomic
def conflict_open(*, request, organization, label: str, community_area, opened_on=None) -> Conflict:
    opened_on = opened_on or timezone.localdate()
    reject_future_day(opened_on, _("A mediation cannot open in the future."), "opened_on")
    reject_before(opened_on, field="opened_on")
    conflict = Conflict.objects.create(
        organization=organization,
        label=label,
        community_area=community_area,
        opened_on=opened_on,
        created_by=request.user,
    )
    audit_request(request, AuditAction.CREATE, conflict)
    return conflict


def _refuse_if_closed(conflict: Conflict) -> None:
    if conflict.closed_on is not None:
        raise ValidationError(_("This mediation is closed. Reopen it to record more."))


def _last_recorded_day(conflict: Conflict) -> tuple[datetime.date, str] | None:
    """The latest day of the mediation's own records (a session, an agreement made, a
    change to one), with what to call it in a refusal; None without any."""
    days = [
        (
            conflict.sessions.aggregate(day=Max("held_on"))["day"],
            _("A mediation cannot close before its last session (%(date)s)."),
        ),
        (
            conflict.agreements.aggregate(day=Max("made_on"))["day"],
            _("A mediation cannot close before its last agreement (%(date)s)."),
        ),
        (
            AgreementStateChange.objects.filter(agreement__conflict=conflict).aggregate(
                day=Max("changed_on")
            )["day"],
            _(
                "A mediation cannot close before the last change to one of its agreements "
                "(%(date)s)."
            ),
        ),
    ]
    days = [(day, message) for day, message in days if day is not None]
    # The first of equal days: an agreement's making is also its first change.
    return max(days, key=lambda d: d[0]) if days else None


@transaction.atomic
def conflict_close(*, request, conflict: Conflict, closed_on: datetime.date) -> Conflict:
    """Close a mediation on a day between its last session or agreement (its opening
    when it has none) and today."""
    conflict = Conflict.objects.select_for_update().get(pk=conflict.pk)
    if conflict.closed_on is not None:
        raise ValidationError(_("This mediation is already closed."))
    reject_future_day(closed_on, _("A mediation cannot close in the future."), "closed_on")
    if closed_on < conflict.opened_on:
        raise ValidationError(
            {
                "closed_on": _("A mediation cannot close before it was opened (%(date)s).")
                % {"date": date_format(conflict.opened_on, "SHORT_DATE_FORMAT")}
            }
        )
    last = _last_recorded_day(conflict)
    if last is not None and closed_on < last[0]:
        day, message = last
        raise ValidationError(
            {"closed_on": message % {"date": date_format(day, "SHORT_DATE_FORMAT")}}
        )
    conflict.closed_on = closed_on
    conflict.save(update_fields=["closed_on"])
    audit_request(request, AuditAction.UPDATE, conflict, detail={"fields": ["closed_on"]})
    return conflict


@transaction.atomic
def conflict_reopen(*, request, conflict: Conflict) -> Conflict:
    conflict = Conflict.objects.select_for_update().get(pk=conflict.pk)
    if conflict.closed_on is None:
        raise ValidationError(_("This mediation is open."))
    conflict.closed_on = None
    conflict.save(update_fields=["closed_on"])
    audit_request(
        request, AuditAction.UPDATE, conflict, detail={"fields": ["closed_on"], "reopened": True}
    )
    return conflict


@transaction.atomic
def conflict_party_add(
    *, request, conflict: Conflict, person=None, group_label: str = ""
) -> ConflictParty:
    """A participant or a neutral group label, each once in a mediation: the same label
    in other capitals is the same group."""
    # Locked, so that a second tap while the first is on its way finds the first party.
    conflict = Conflict.objects.select_for_update().get(pk=conflict.pk)
    _refuse_if_closed(conflict)
    group_label = group_label.strip()
    if person is not None and person.organization_id != conflict.organization_id:
        raise ValidationError(_("Choose a participant of your organization."))
    if person is None and not group_label:
        raise ValidationError(PARTY_MISSING)
    if person is not None and group_label:
        raise ValidationError(PARTY_BOTH)
    if person is not None and conflict.parties.filter(person=person).exists():
        raise ValidationError({"person": PARTY_PERSON_TWICE})
    if group_label:
        same = conflict.parties.filter(group_label__iexact=group_label).first()
        if same is not None:
            raise ValidationError({"group_label": PARTY_GROUP_TWICE % {"label": same.group_label}})
    party = ConflictParty.objects.create(conflict=conflict, person=person, group_label=group_label)
    audit_request(
        request,
        AuditAction.UPDATE,
        conflict,
        detail={"party": str(person.pk) if person else "group"},
    )
    return party


@transaction.atomic
def conflict_party_remove(*, request, party: ConflictParty) -> None:
    """Take back a party added by mistake, while the mediation is open."""
    conflict = Conflict.objects.select_for_update().get(pk=party.conflict_id)
    _refuse_if_closed(conflict)
    removed = {"party_removed": str(party.person_id) if party.person_id else "group"}
    party.delete()
    audit_request(request, AuditAction.UPDATE, conflict, detail=removed)


@transaction.atomic
def mediation_session_add(
    *, request, conflict: Conflict, held_on: datetime.date, note: str = ""
) -> MediationSession:
    _refuse_if_closed(conflict)
    reject_future_day(held_on, _("A session cannot be in the future."), "held_on")
    if held_on < conflict.opened_on:
        raise ValidationError(
            {
                "held_on": _("A session cannot come before the mediation was opened (%(date)s).")
                % {"date": date_format(conflict.opened_on, "SHORT_DATE_FORMAT")}
            }
        )
    # Mediations opened before the rule on their opening day may still be that old.
    reject_before(held_on, field="held_on")
    session = MediationSession.objects.create(
        conflict=conflict, held_on=held_on, note=note, facilitator=request.user
    )
    audit_request(request, AuditAction.UPDATE, conflict, detail={"session": str(session.pk)})
    return session


def _refuse_review_before(review_on: datetime.date | None, made_on: datetime.date) -> None:
    """A review date between the agreement's day and REVIEW_YEARS_AHEAD from today."""
    if review_on is not None and review_on < made_on:
        raise ValidationError(
            {"review_on": REVIEW_BEFORE_MADE % {"date": date_format(made_on, "SHORT_DATE_FORMAT")}}
        )
    reject_after(
        review_on,
        years_ahead(REVIEW_YEARS_AHEAD),
        REVIEW_TOO_FAR % {"years": REVIEW_YEARS_AHEAD},
        "review_on",
    )


@transaction.atomic
def agreement_make(
    *, request, conflict: Conflict, kind: str, made_on: datetime.date, review_on=None
) -> Agreement:
    _refuse_if_closed(conflict)
    reject_future_day(made_on, _("An agreement cannot be dated in the future."), "made_on")
    if made_on < conflict.opened_on:
        raise ValidationError(
            {
                "made_on": _("An agreement cannot come before the mediation was opened (%(date)s).")
                % {"date": date_format(conflict.opened_on, "SHORT_DATE_FORMAT")}
            }
        )
    reject_before(made_on, field="made_on")
    _refuse_review_before(review_on, made_on)
    agreement = Agreement.objects.create(
        conflict=conflict, kind=kind, made_on=made_on, review_on=review_on
    )
    AgreementStateChange.objects.create(
        agreement=agreement, state=agreement.state, changed_on=made_on, changed_by=request.user
    )
    audit_request(request, AuditAction.UPDATE, conflict, detail={"agreement": str(agreement.pk)})
    return agreement


@transaction.atomic
def agreement_state_change(
    *,
    request,
    agreement: Agreement,
    state: str,
    changed_on: datetime.date,
    note: str = "",
    review_on=None,
) -> AgreementStateChange | None:
    """Record a change in the agreement's history. The agreement takes the state of its
    latest change, by day and then by when it was recorded: a change dated before the
    latest one (a worker catching up on last week) goes into the history at its day and
    leaves the current state as it is. A review date given is the next review, whatever
    the change's day.

    The same state without a note is no step of the history: only the next review date
    is set (returns None), or, without one, nothing is and it is refused."""
    # Locked, so that two changes at once both count in the state they leave.
    agreement = (
        Agreement.objects.select_for_update().select_related("conflict").get(pk=agreement.pk)
    )
    _refuse_if_closed(agreement.conflict)
    if changed_on > timezone.localdate():
        raise ValidationError(_("A change cannot be dated in the future."))
    if changed_on < agreement.made_on:
        raise ValidationError(_("A change cannot come before the agreement was made."))
    _refuse_review_before(review_on, agreement.made_on)
    if state == agreement.state and not note.strip():
        if review_on is None:
            raise ValidationError(NOTHING_TO_RECORD)
        if review_on != agreement.review_on:
            agreement.review_on = review_on
            agreement.save(update_fields=["review_on"])
            audit_request(
                request,
                AuditAction.UPDATE,
                agreement.conflict,
                detail={"agreement": str(agreement.pk), "fields": ["review_on"]},
            )
        return None
    change = AgreementStateChange.objects.create(
        agreement=agreement, state=state, changed_on=changed_on, note=note, changed_by=request.user
    )
    agreement.state = agreement.history.first().state
    fields = ["state"]
    if review_on is not None:
        agreement.review_on = review_on
        fields.append("review_on")
    agreement.save(update_fields=fields)
    audit_request(
        request,
        AuditAction.UPDATE,
        agreement.conflict,
        detail={"agreement": str(agreement.pk), "state": state},
    )
    return change


# --- Hand-off to case management ----------------------------------------------------


def _open_case_of(person) -> Case | None:
    return Case.objects.filter(person=person, closed_on__isnull=True).first()


def _refuse_open_case(case: Case) -> None:
    raise ValidationError(
        _("This participant already has an open case with %(case_manager)s.")
        % {"case_manager": case.case_manager.full_name}
    )


@transaction.atomic
def introduction_make(*, request, person, case_manager, summary: str) -> Introduction:
    if person.status == Status.CLOSED:
        raise ValidationError(_("Reopen the participant's record before an introduction."))
    if Introduction.objects.filter(person=person, status=IntroductionStatus.PENDING).exists():
        raise ValidationError(_("This participant already has a pending introduction."))
    if (case := _open_case_of(person)) is not None:
        _refuse_open_case(case)
    introduction = Introduction.objects.create(
        person=person,
        organization_id=person.organization_id,
        introduced_by=request.user,
        case_manager=case_manager,
        summary=summary,
    )
    audit_request(request, AuditAction.CREATE, introduction, detail={"person": str(person.pk)})
    url = reverse("outreach:introductions")
    notify(
        recipients=[case_manager],
        message=lambda: _("A participant was introduced to you — open PeaceHub"),
        url=url,
        absolute_url=request.build_absolute_uri(url),
    )
    return introduction


def _decide(introduction: Introduction) -> None:
    if introduction.status != IntroductionStatus.PENDING:
        raise ValidationError(_("This introduction was already answered."))


@transaction.atomic
def introduction_accept(*, request, introduction: Introduction) -> Case:
    """The person comes into case management and onto the case manager's caseload:
    returns their open case, opened now unless they already had one."""
    _decide(introduction)
    person = introduction.person
    case = _open_case_of(person)
    if case is not None and case.case_manager_id != introduction.case_manager_id:
        # Opened by another case manager since the introduction was made: accepting
        # would leave the case with one case manager and the person with another.
        _refuse_open_case(case)
    introduction.status = IntroductionStatus.ACCEPTED
    introduction.decided_at = timezone.now()
    introduction.save(update_fields=["status", "decided_at"])
    if person.status != Status.CASE_MANAGEMENT:
        person_case_management_start(
            request=request, person=person, note=str(gettext_lazy("Introduction accepted"))
        )
    audit_request(request, AuditAction.UPDATE, introduction, detail={"status": "accepted"})
    if case is None:
        # Also makes the introduction's case manager the person's, audited.
        case = case_open(request=request, person=person, case_manager=introduction.case_manager)
    return case


@transaction.atomic
def introduction_return(*, request, introduction: Introduction, reason: str) -> Introduction:
    _decide(introduction)
    if not reason.strip():
        raise ValidationError({"reason": RETURN_REASON_MISSING})
    introduction.status = IntroductionStatus.RETURNED
    introduction.return_reason = reason.strip()
    introduction.decided_at = timezone.now()
    introduction.save(update_fields=["status", "return_reason", "decided_at"])
    audit_request(request, AuditAction.UPDATE, introduction, detail={"status": "returned"})
    worker = introduction.introduced_by
    if worker is not None and worker.is_active:
        # The page says it went back to them: they hear of it, without the name.
        url = reverse("outreach:introductions")
        notify(
            recipients=[worker],
            message=lambda: _("An introduction you made was returned — open PeaceHub"),
            url=url,
            absolute_url=request.build_absolute_uri(url),
        )
    return introduction
