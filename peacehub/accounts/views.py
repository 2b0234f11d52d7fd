from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, resolve_url
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from peacehub.accounts import services
from peacehub.accounts.access import (
    get_organization_for_user,
    memberships_of,
    role_has_permission,
)
from peacehub.accounts.forms import (
    ApiTokenForm,
    MembershipAddForm,
    MembershipRoleForm,
    ProfileForm,
    SignInForm,
)
from peacehub.accounts.middleware import SESSION_LAST_SEEN, SESSION_STARTED
from peacehub.accounts.models import ApiToken, Membership
from peacehub.accounts.roles import Permission
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_request
from peacehub.forms import NOT_SAVED, save_posted, status_of
from peacehub.http import next_on_this_site, permission_required
from peacehub.site.language import remember_language


def _safe_next(request: HttpRequest) -> str:
    return next_on_this_site(request) or resolve_url(settings.LOGIN_REDIRECT_URL)


@login_not_required
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    form = SignInForm(request.POST or None)
    failed = False
    if request.method == "POST" and form.is_valid():
        user = services.sign_in_attempt(
            request=request,
            username=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
        )
        if user is not None:
            login(request, user)
            now = timezone.now().timestamp()
            request.session[SESSION_STARTED] = now
            request.session[SESSION_LAST_SEEN] = now
            audit_request(request, AuditAction.SIGN_IN, user)
            response = redirect(_safe_next(request))
            remember_language(request, response, user.preferred_language)
            return response
        failed = True
    elif request.method == "POST":
        failed = True
    return TemplateResponse(
        request,
        "accounts/sign_in.html",
        {"form": form, "failed": failed, "next": request.GET.get("next", "")},
        status=200,
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_request(request, AuditAction.SIGN_OUT, request.user)
    logout(request)
    messages.info(request, _("You are signed out."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(
        request.POST if request.POST.get("form") == "profile" else None, instance=user
    )
    password_form = PasswordChangeForm(
        user, request.POST if request.POST.get("form") == "password" else None
    )
    if request.method == "POST":
        if form.is_bound and form.is_valid():
            services.profile_update(
                user=user,
                full_name=form.cleaned_data["full_name"],
                preferred_language=form.cleaned_data["preferred_language"],
            )
            messages.success(request, _("Profile saved."))
            response = redirect("accounts:profile")
            remember_language(request, response, user.preferred_language)
            return response
        if password_form.is_bound and password_form.is_valid():
            password_form.save()
            update_session_auth_hash(request, user)
            messages.success(request, _("Password changed."))
            return redirect("accounts:profile")
    return TemplateResponse(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "password_form": password_form,
            "memberships": memberships_of(user),
            "tokens": ApiToken.objects.filter(user=user),
            "token_form": ApiTokenForm(),
        },
    )


@require_POST
def api_token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("accounts:profile")
    token, raw = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
    return TemplateResponse(request, "accounts/token_created.html", {"token": token, "raw": raw})


@require_POST
def api_token_revoke(request: HttpRequest, token_id: UUID) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    token.delete()
    messages.success(request, _("Token revoked."))
    return redirect("accounts:profile")


@require_GET
@permission_required(Permission.MANAGE_STAFF)
def organization_choose(request: HttpRequest) -> HttpResponse:
    organizations = [
        m.organization
        for m in memberships_of(request.user)
        if role_has_permission(m.role, Permission.MANAGE_STAFF)
    ]
    if len(organizations) == 1:
        return redirect("accounts:staff", organization_id=organizations[0].pk)
    return TemplateResponse(
        request, "accounts/organization_choose.html", {"organizations": organizations}
    )


@require_GET
def staff_list(request: HttpRequest, organization_id: UUID) -> HttpResponse:
    organization = get_organization_for_user(request.user, organization_id, Permission.MANAGE_STAFF)
    memberships = organization.memberships.select_related("user").order_by("user__full_name")
    return TemplateResponse(
        request,
        "accounts/staff_list.html",
        {"organization": organization, "memberships": memberships, "form": MembershipAddForm()},
    )


@require_POST
def staff_add(request: HttpRequest, organization_id: UUID) -> HttpResponse:
    organization = get_organization_for_user(request.user, organization_id, Permission.MANAGE_STAFF)
    form = MembershipAddForm(request.POST)
    membership = save_posted(
        request,
        form,
        lambda data: services.membership_add(
            request=request,
            organization=organization,
            email=data["email"],
            full_name=data["full_name"],
            role=data["role"],
        ),
        lambda membership: _("%(name)s was added.") % {"name": membership.user.full_name},
    )
    if membership is not NOT_SAVED:
        return redirect("accounts:staff", organization_id=organization.pk)
    memberships = organization.memberships.select_related("user").order_by("user__full_name")
    return TemplateResponse(
        request,
        "accounts/staff_list.html",
        {"organization": organization, "memberships": memberships, "form": form},
        status=400,
    )


def _membership_for_admin(request, organization_id: UUID, membership_id: UUID) -> Membership:
    organization = get_organization_for_user(request.user, organization_id, Permission.MANAGE_STAFF)
    return get_object_or_404(
        Membership.objects.select_related("user", "organization"),
        pk=membership_id,
        organization=organization,
    )


def staff_edit(request: HttpRequest, organization_id: UUID, membership_id: UUID) -> HttpResponse:
    membership = _membership_for_admin(request, organization_id, membership_id)
    form = MembershipRoleForm(request.POST or None, initial={"role": membership.role})
    changed = save_posted(
        request,
        form,
        lambda data: services.membership_change_role(
            request=request, membership=membership, role=data["role"]
        ),
        _("Role changed."),
    )
    if changed is not NOT_SAVED:
        return redirect("accounts:staff", organization_id=organization_id)
    return TemplateResponse(
        request,
        "accounts/staff_edit.html",
        {"membership": membership, "form": form},
        status=status_of(form),
    )


@require_POST
def staff_remove(request: HttpRequest, organization_id: UUID, membership_id: UUID) -> HttpResponse:
    membership = _membership_for_admin(request, organization_id, membership_id)
    try:
        services.membership_remove(request=request, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Membership removed; their sessions have ended."))
    return redirect("accounts:staff", organization_id=organization_id)


@require_POST
def staff_deactivate(
    request: HttpRequest, organization_id: UUID, membership_id: UUID
) -> HttpResponse:
    membership = _membership_for_admin(request, organization_id, membership_id)
    try:
        services.user_deactivate(
            request=request, user=membership.user, organization=membership.organization
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Account deactivated; their sessions have ended."))
    return redirect("accounts:staff", organization_id=organization_id)
