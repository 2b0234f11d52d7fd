import datetime
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peacehub.accounts.access import has_permission, organizations_with
from peacehub.accounts.roles import Permission
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_listing, audit_request
from peacehub.forms import NOT_SAVED, save_posted, status_of
from peacehub.http import paginate_uncounted, permission_required, uuid_or_none
from peacehub.outreach import services
from peacehub.outreach.access import (
    contacts_visible_to,
    get_contact_for_user,
    incidents_visible_to,
)
from peacehub.outreach.forms import ContactCorrectionForm, ContactForm
from peacehub.outreach.models import Contact, IncidentResponse, ResponseState
from peacehub.outreach.views.common import acting_organization, home_area, workable_people
from peacehub.people.access import people_visible_to
from peacehub.people.models import Person, Status

STALE_AFTER_DAYS = 14
_NAME_FIELDS = ("person__legal_first_name", "person__legal_last_name", "person__preferred_name")
# Incidents older than this leave the home page even if nobody closed them.
OPEN_INCIDENT_WINDOW = datetime.timedelta(days=30)


@require_GET
@permission_required(Permission.LOG_CONTACTS)
def home(request: HttpRequest) -> HttpResponse:
    """The outreach worker's home, made for a phone at night: today's follow-ups, open
    incidents in my areas with my organization's response, my participants by days
    since the last contact, and a one-tap log."""
    user = request.user
    today = timezone.localdate()
    follow_ups = list(
        contacts_visible_to(user)
        .filter(worker=user, follow_up_done_at__isnull=True, follow_up_by__lte=today)
        .select_related("person")
        # Only what the page shows: never decrypt notes that nobody reads here.
        .only("id", "follow_up_by", "non_participant", "person_id", *_NAME_FIELDS)
        .order_by("follow_up_by")[:20]
    )
    # The follow-up just marked done (contact_done sends here with its id), to undo.
    undo_id = uuid_or_none(request.GET.get("undo", ""))
    undoable = (
        contacts_visible_to(user)
        .filter(pk=undo_id, worker=user, follow_up_done_at__isnull=False)
        .select_related("person")
        .only("id", "non_participant", "person_id", *_NAME_FIELDS)
        .first()
        if undo_id
        else None
    )
    # The contact just logged (contact_new sends here with its id): "Undo", for a while.
    logged_id = uuid_or_none(request.GET.get("logged", ""))
    logged = (
        contacts_visible_to(user)
        .filter(pk=logged_id, worker=user)
        .select_related("person")
        .only("id", "worker_id", "created_at", "non_participant", "person_id", *_NAME_FIELDS)
        .first()
        if logged_id
        else None
    )
    if logged is not None and not services.contact_undoable(logged, user):
        logged = None
    own_organizations = [o.pk for o in organizations_with(user, Permission.VIEW_INCIDENTS)]
    # An incident the reporting organization has closed stays here while we are in the
    # middle of our own response to it (acknowledged or on scene, follow-up not done).
    our_response_under_way = Exists(
        IncidentResponse.objects.filter(
            incident=OuterRef("pk"),
            organization_id__in=own_organizations,
            state__in=[ResponseState.ACKNOWLEDGED, ResponseState.ON_SCENE],
        )
    )
    incidents = list(
        incidents_visible_to(user)
        .filter(Q(closed_at__isnull=True) | our_response_under_way)
        .filter(occurred_at__gte=timezone.now() - OPEN_INCIDENT_WINDOW)
        .select_related("community_area")
        .defer("community_area__boundary")
        .order_by("-occurred_at")[:10]
    )
    own_responses = {
        r.incident_id: r
        for r in IncidentResponse.objects.filter(
            incident__in=incidents, organization_id__in=own_organizations
        )
    }
    for incident in incidents:
        incident.own_response = own_responses.get(incident.pk)
    last_contact = (
        Contact.objects.filter(person=OuterRef("pk"))
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    participants = list(
        Person.objects.visible_to(user)
        .filter(outreach_worker=user)
        .exclude(status=Status.CLOSED)
        .annotate(last_contact_at=Subquery(last_contact))
        .select_related("community_area")
        .only(
            "id",
            "organization_id",
            "legal_first_name",
            "legal_last_name",
            "preferred_name",
            "community_area__name",
        )
        # Sorted below: an ORDER BY by name would tempt SQLite into walking the whole
        # organization by its name index instead of the worker's few people.
        .order_by()
    )
    for person in participants:
        # Calendar days, as a worker counts them: last Thursday evening is 12 days ago
        # on the Tuesday twelve days later, whatever the hour.
        days = (
            (today - timezone.localdate(person.last_contact_at)).days
            if person.last_contact_at
            else None
        )
        person.days_since_contact = days
        person.stale = days is None or days > STALE_AFTER_DAYS
        # Made here rather than in the template: per row, the template's translation
        # tags cost more than every query of the page.
        person.since_contact = (
            _("never contacted")
            if days is None
            else ngettext(
                "%(days)s day since last contact", "%(days)s days since last contact", days
            )
            % {"days": days}
        )
        person.log_label = _("Log contact with %(name)s") % {"name": person.display_name}
    # Never contacted first, then the longest without contact.
    participants.sort(
        key=lambda p: -(10**6 if p.days_since_contact is None else p.days_since_contact)
    )
    audit_listing(
        request,
        AuditAction.LIST,
        participants + [c.person for c in [*follow_ups, undoable, logged] if c and c.person],
        record_type="people.person",
        view="outreach_home",
    )
    return TemplateResponse(
        request,
        "outreach/home.html",
        {
            "follow_ups": follow_ups,
            "undoable": undoable,
            "logged": logged,
            "undo_minutes": services.CONTACT_UNDO_MINUTES,
            "incidents": incidents,
            "participants": participants,
            "stale_after": STALE_AFTER_DAYS,
            "today": today,
        },
    )


@permission_required(Permission.LOG_CONTACTS)
def contact_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    people = workable_people(user, Permission.LOG_CONTACTS)
    if request.method == "POST":
        form = ContactForm(request.POST, people=people)
        logged = save_posted(
            request,
            form,
            lambda data: services.contact_log(
                request=request,
                organization=acting_organization(
                    user,
                    Permission.LOG_CONTACTS,
                    data["person"].organization_id if data["person"] else None,
                ),
                data=data,
            ),
            # The home page offers "Undo" under it.
            _("Contact logged."),
        )
        if logged is not NOT_SAVED:
            # The home page offers to undo it: the wrong person is one tap away.
            return redirect(f"{reverse('outreach:home')}?{urlencode({'logged': logged.pk})}")
        chosen = form.cleaned_data.get("person")
    else:
        person_id = request.GET.get("person", "")
        chosen = people.filter(pk=person_id).first() if uuid_or_none(person_id) else None
        form = ContactForm(people=people, initial=_contact_initial(user, chosen))
    return TemplateResponse(
        request,
        "outreach/contact_form.html",
        {"form": form, "chosen": chosen},
        status=status_of(form),
    )


def _contact_initial(user, chosen: Person | None) -> dict:
    """The common case pre-set: a street contact, with the chosen person, in their
    community area, else where the worker works."""
    initial = {"contact_type": "street"}
    if chosen is not None:
        initial["person"] = chosen.pk
    organization = (
        chosen.organization if chosen else acting_organization(user, Permission.LOG_CONTACTS)
    )
    area = (chosen.community_area if chosen else None) or home_area(user, organization)
    if area is not None:
        initial["community_area"] = area.pk
    return initial


@require_GET
@permission_required(Permission.VIEW_CONTACTS)
def contact_list(request: HttpRequest) -> HttpResponse:
    contacts = contacts_visible_to(request.user).select_related(
        "person", "worker", "community_area"
    )
    person_id = uuid_or_none(request.GET.get("person", ""))
    person = None
    if person_id:
        contacts = contacts.filter(person_id=person_id)
        # Named in the heading and carried by "Log contact": only someone the user sees.
        person = (
            people_visible_to(request.user)
            .filter(pk=person_id)
            .only("id", "organization_id", "legal_first_name", "legal_last_name", "preferred_name")
            .first()
        )
    mine = request.GET.get("mine") == "1"
    if mine:
        contacts = contacts.filter(worker=request.user)
    page = paginate_uncounted(request, contacts.order_by("-occurred_at"))
    audit_listing(
        request,
        AuditAction.LIST,
        page.object_list,
        record_type="outreach.contact",
        **({"person": str(person.pk)} if person else {}),
    )
    return TemplateResponse(
        request,
        "outreach/contact_list.html",
        {
            "page": page,
            "person": person,
            "mine": mine,
            # The user's own contacts logged since then offer "Correct".
            "correctable_since": timezone.now() - services.CONTACT_CORRECTION_WINDOW,
        },
    )


def _follow_up_for_user(request: HttpRequest, contact_id: UUID) -> Contact:
    """A follow-up is the worker's own, or their supervisor's to settle."""
    contact = get_contact_for_user(request.user, contact_id, Permission.LOG_CONTACTS)
    if contact.worker_id != request.user.pk and not has_permission(
        request.user, Permission.SUPERVISE_OUTREACH, contact.organization_id
    ):
        raise PermissionDenied
    return contact


@require_POST
def contact_done(request: HttpRequest, contact_id: UUID) -> HttpResponse:
    contact = _follow_up_for_user(request, contact_id)
    services.contact_follow_up_done(request=request, contact=contact)
    messages.success(request, _("Follow-up done."))
    # The home page offers to undo it: "Done" is one tap, and easily the wrong one.
    return redirect(f"{reverse('outreach:home')}?{urlencode({'undo': contact.pk})}")


@require_POST
def contact_reopen(request: HttpRequest, contact_id: UUID) -> HttpResponse:
    contact = _follow_up_for_user(request, contact_id)
    try:
        services.contact_follow_up_reopen(request=request, contact=contact)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The follow-up is back on your list."))
    return redirect("outreach:home")


@require_POST
def contact_undo(request: HttpRequest, contact_id: UUID) -> HttpResponse:
    """Take back a contact just logged: the worker's own only (anyone else's is not
    found), for CONTACT_UNDO_WINDOW."""
    contact = get_contact_for_user(request.user, contact_id, Permission.LOG_CONTACTS)
    if contact.worker_id != request.user.pk:
        raise Http404
    try:
        services.contact_undo(request=request, contact=contact)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Contact undone: it is no longer recorded."))
    return redirect("outreach:home")


@require_http_methods(["GET", "POST"])
def contact_correct(request: HttpRequest, contact_id: UUID) -> HttpResponse:
    """Correct a contact: the worker's own only (anyone else's is not found), within
    CONTACT_CORRECTION_WINDOW; after it, the page says so and a post changes nothing."""
    contact = get_contact_for_user(request.user, contact_id, Permission.LOG_CONTACTS)
    if contact.worker_id != request.user.pk:
        raise Http404
    if request.method == "POST":
        form = ContactCorrectionForm(request.POST, contact=contact)
        changed = save_posted(
            request,
            form,
            lambda data: services.contact_correct(request=request, contact=contact, data=data),
            lambda changed: _("Contact corrected.") if changed else _("Nothing to correct."),
        )
        if changed is not NOT_SAVED:
            if contact.person_id:
                return redirect(
                    f"{reverse('outreach:contacts')}?{urlencode({'person': contact.person_id})}"
                )
            return redirect("outreach:home")
    else:
        form = ContactCorrectionForm(contact=contact)
        audit_request(request, AuditAction.VIEW, contact)
    correctable = services.contact_correctable(contact, request.user)
    return TemplateResponse(
        request,
        "outreach/contact_correct.html",
        {
            "form": form,
            "contact": contact,
            "too_old": None if correctable else services.contact_too_old_to_correct(),
            "back": (
                f"{reverse('outreach:contacts')}?{urlencode({'person': contact.person_id})}"
                if contact.person_id
                else reverse("outreach:home")
            ),
        },
        status=status_of(form),
    )
