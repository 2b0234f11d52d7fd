from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from peacehub.accounts.roles import Permission
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_listing, audit_request
from peacehub.cases import services
from peacehub.cases.access import note_types_for, notes_visible_to
from peacehub.cases.forms import NoteForm
from peacehub.forms import NOT_SAVED, save_posted, status_of
from peacehub.http import paginate
from peacehub.people.access import get_person_for_user


def person_notes(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """A person's notes of the types the user's role owns, and a form for a new one.
    Someone of the organization with no note type of their own gets 403."""
    access = get_person_for_user(request, person_id, Permission.VIEW_PEOPLE, audit_action=None)
    if access.shared:
        raise Http404  # another organization's person, seen through a referral
    person = access.person
    audit_request(request, AuditAction.VIEW, person)
    note_types = note_types_for(request.user, person.organization_id)
    if not note_types:
        raise PermissionDenied
    form = NoteForm(request.POST or None, note_types=note_types)
    note = save_posted(
        request,
        form,
        lambda data: services.note_add(request=request, person=person, **data),
        _("Note saved."),
    )
    if note is not NOT_SAVED:
        return redirect("cases:notes", person_id=person.pk)
    page = paginate(
        request, notes_visible_to(request.user, person).select_related("author"), per_page=20
    )
    audit_listing(request, AuditAction.LIST, page.object_list, record_type="cases.casenote")
    return TemplateResponse(
        request,
        "cases/notes.html",
        {"person": person, "form": form, "page": page},
        status=status_of(form),
    )
