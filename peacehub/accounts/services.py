import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peacehub.academy.access import is_outside_trainee
from peacehub.accounts.access import forget_memberships
from peacehub.accounts.models import (
    ApiToken,
    LoginFailure,
    Membership,
    Organization,
    User,
    new_session_stamp,
)
from peacehub.accounts.roles import Role
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_request, client_ip

# Roles that only make sense in the convener organization.
CONVENER_ONLY_ROLES = {Role.CONVENER_STAFF}


def sign_in_locked(*, username: str, ip_address: str | None) -> bool:
    since = timezone.now() - settings.LOGIN_FAILURE_WINDOW
    recent = LoginFailure.objects.filter(occurred_at__gte=since)
    if recent.filter(username=username).count() >= settings.LOGIN_FAILURES_PER_USER:
        return True
    return bool(
        ip_address
        and recent.filter(ip_address=ip_address).count() >= settings.LOGIN_FAILURES_PER_ADDRESS
    )


def sign_in_attempt(*, request, username: str, password: str) -> User | None:
    """Authenticate, or record the failure. Returns None for every kind of failure
    (unknown user, wrong password, locked out, deactivated) so that the caller shows
    one and the same message."""
    username = username.strip().lower()
    ip_address = client_ip(request)
    if sign_in_locked(username=username, ip_address=ip_address):
        # Still run the hasher so that a locked account answers as slowly as any other.
        authenticate(request, username=f"locked:{username}", password=password)
        LoginFailure.objects.create(username=username, ip_address=ip_address)
        return None
    user = authenticate(request, username=username, password=password)
    if user is None:
        LoginFailure.objects.create(username=username, ip_address=ip_address)
        return None
    LoginFailure.objects.filter(username=username).delete()
    return user


def login_failures_purge() -> int:
    cutoff = timezone.now() - settings.LOGIN_FAILURE_WINDOW
    deleted, _ = LoginFailure.objects.filter(occurred_at__lt=cutoff).delete()
    return deleted


def sessions_purge_expired() -> int:
    """Sessions past their expiry date. Such a session can still hold a form kept as it
    ended (accounts/unsent.py), encrypted, for a sign-in that never came."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


def sessions_end(user: User) -> None:
    """Every open session of the user stops working on its next request."""
    user.session_stamp = new_session_stamp()
    user.save(update_fields=["session_stamp"])
    forget_memberships(user)


def refuse_outside_trainee(user: User) -> None:
    """An outside trainee of the Peace Academy (a police officer, a community member)
    has a sign-in for their own training record and nothing else, ever."""
    if is_outside_trainee(user):
        raise ValidationError(
            _("This person is an outside trainee of the Peace Academy and cannot become staff.")
        )


def _check_role_fits(organization: Organization, role: str) -> None:
    if role not in Role.values:
        raise ValidationError(_("Choose a role from the list."))
    if Role(role) in CONVENER_ONLY_ROLES and organization.kind != Organization.Kind.CONVENER:
        raise ValidationError(_("Convener staff can only belong to the convener organization."))


@transaction.atomic
def membership_add(
    *, request, organization: Organization, email: str, full_name: str, role: str
) -> Membership:
    _check_role_fits(organization, role)
    email = email.strip().lower()
    user = User.objects.filter(email=email).first()
    if user is None:
        # A new account has no usable password: its owner sets one through the
        # invitation sent once this transaction has committed.
        user = User.objects.create_user(email=email, password=None, full_name=full_name)
        transaction.on_commit(lambda: staff_invite(request=request, email=email))
    refuse_outside_trainee(user)
    if Membership.objects.filter(user=user, organization=organization).exists():
        raise ValidationError(_("This person is already a member of the organization."))
    membership = Membership.objects.create(user=user, organization=organization, role=role)
    audit_request(
        request,
        AuditAction.STAFF_CHANGE,
        membership,
        organization_id=str(organization.pk),
        detail={"change": "added", "role": role},
    )
    return membership


def staff_invite(*, request, email: str) -> None:
    """E-mail a link to set a password (the same signed, single-use link as a reset)."""
    from peacehub.accounts.forms import PasswordSetForm  # the forms import this module

    form = PasswordSetForm({"email": email})
    if form.is_valid():
        form.save(
            request=request,
            use_https=request.is_secure(),
            subject_template_name="accounts/invitation_subject.txt",
            email_template_name="accounts/invitation_email.txt",
        )


def _refuse_own(request, membership: Membership) -> None:
    if membership.user_id == request.user.pk:
        raise ValidationError(_("You cannot change your own role or membership."))


@transaction.atomic
def membership_change_role(*, request, membership: Membership, role: str) -> Membership:
    _refuse_own(request, membership)
    _check_role_fits(membership.organization, role)
    if membership.role == role:
        return membership
    previous = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    sessions_end(membership.user)
    audit_request(
        request,
        AuditAction.STAFF_CHANGE,
        membership,
        organization_id=str(membership.organization_id),
        detail={"change": "role", "from": previous, "to": role},
    )
    return membership


@transaction.atomic
def membership_remove(*, request, membership: Membership) -> None:
    _refuse_own(request, membership)
    user = membership.user
    audit_request(
        request,
        AuditAction.STAFF_CHANGE,
        membership,
        organization_id=str(membership.organization_id),
        detail={"change": "removed", "role": membership.role},
    )
    membership.delete()
    sessions_end(user)


@transaction.atomic
def user_deactivate(*, request, user: User, organization: Organization) -> None:
    """Only when the organization is the user's sole one: an admin cannot lock a
    person out of another organization's work."""
    if user.pk == request.user.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if user.memberships.exclude(organization=organization).exists():
        raise ValidationError(
            _("This person also works with another organization; remove their membership instead.")
        )
    user.is_active = False
    user.save(update_fields=["is_active"])
    sessions_end(user)
    ApiToken.objects.filter(user=user).delete()
    audit_request(
        request,
        AuditAction.STAFF_CHANGE,
        user,
        organization_id=str(organization.pk),
        detail={"change": "deactivated"},
    )


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token and its secret, which is shown once and never stored."""
    raw = "ph_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, digest=token_digest(raw), prefix=raw[:8])
    return token, raw


def api_token_user(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user").filter(digest=token_digest(raw)).first()
        if raw
        else None
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        token.last_used_at = now
        token.save(update_fields=["last_used_at"])
    return token.user


def profile_update(*, user: User, full_name: str, preferred_language: str) -> None:
    user.full_name = full_name
    user.preferred_language = preferred_language
    user.save(update_fields=["full_name", "preferred_language"])
