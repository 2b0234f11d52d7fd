"""Roles a membership can carry, and what each role may do.

There is deliberately no law-enforcement role: police officers appear only as
trainees of the Community Training Academy, never as users of person-level data.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OUTREACH_WORKER = "outreach_worker", _("Outreach worker")
    CASE_MANAGER = "case_manager", _("Case manager")
    VICTIM_ADVOCATE = "victim_advocate", _("Victim advocate")
    BEHAVIORAL_HEALTH_CLINICIAN = "behavioral_health_clinician", _("Behavioral health clinician")
    WORKFORCE_STAFF = "workforce_staff", _("Workforce staff")
    LEGAL_STAFF = "legal_staff", _("Legal staff")
    IPV_STAFF = "ipv_staff", _("IPV program staff")
    SUPERVISOR = "supervisor", _("Supervisor")
    ORGANIZATION_ADMIN = "organization_admin", _("Organization admin")
    CONVENER_STAFF = "convener_staff", _("Convener staff")
    TRAINER = "trainer", _("Trainer")
    EVALUATOR = "evaluator", _("Evaluator")


class Permission(StrEnum):
    VIEW_PEOPLE = "view_people"
    EDIT_PEOPLE = "edit_people"
    RECORD_ELIGIBILITY = "record_eligibility"
    MANAGE_CONSENT = "manage_consent"
    CLOSE_PARTICIPATION = "close_participation"
    EXPORT_PEOPLE = "export_people"
    VIEW_SHARED_PEOPLE = "view_shared_people"
    MANAGE_STAFF = "manage_staff"
    VIEW_AUDIT = "view_audit"
    VIEW_COALITION_AGGREGATES = "view_coalition_aggregates"
    # Street outreach
    LOG_CONTACTS = "log_contacts"
    VIEW_CONTACTS = "view_contacts"
    VIEW_INCIDENTS = "view_incidents"
    REPORT_INCIDENTS = "report_incidents"
    RESPOND_TO_INCIDENTS = "respond_to_incidents"
    MANAGE_MEDIATIONS = "manage_mediations"
    MAKE_INTRODUCTIONS = "make_introductions"
    RECEIVE_INTRODUCTIONS = "receive_introductions"
    SUPERVISE_OUTREACH = "supervise_outreach"


# Every role that works with participants face to face.
_DIRECT_SERVICE = frozenset(
    {
        Permission.VIEW_PEOPLE,
        Permission.EDIT_PEOPLE,
        Permission.MANAGE_CONSENT,
        Permission.VIEW_SHARED_PEOPLE,
    }
)
# Roles that decide whether someone is a CVI participant at all, and see and log the
# contacts of street outreach.
_CVI_CORE = _DIRECT_SERVICE | {
    Permission.RECORD_ELIGIBILITY,
    Permission.CLOSE_PARTICIPATION,
    Permission.LOG_CONTACTS,
    Permission.VIEW_CONTACTS,
    Permission.VIEW_INCIDENTS,
}
# Those who answer shootings and threats in the street.
_RESPONDERS = frozenset(
    {
        Permission.REPORT_INCIDENTS,
        Permission.RESPOND_TO_INCIDENTS,
        Permission.MAKE_INTRODUCTIONS,
    }
)

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OUTREACH_WORKER: _CVI_CORE | _RESPONDERS | {Permission.MANAGE_MEDIATIONS},
    Role.CASE_MANAGER: _CVI_CORE | {Permission.RECEIVE_INTRODUCTIONS},
    Role.VICTIM_ADVOCATE: _CVI_CORE | _RESPONDERS,
    Role.BEHAVIORAL_HEALTH_CLINICIAN: _DIRECT_SERVICE,
    Role.WORKFORCE_STAFF: _DIRECT_SERVICE,
    Role.LEGAL_STAFF: _DIRECT_SERVICE,
    Role.IPV_STAFF: _DIRECT_SERVICE,
    Role.SUPERVISOR: _CVI_CORE
    | _RESPONDERS
    | {
        Permission.EXPORT_PEOPLE,
        Permission.MANAGE_MEDIATIONS,
        Permission.RECEIVE_INTRODUCTIONS,
        Permission.SUPERVISE_OUTREACH,
    },
    Role.ORGANIZATION_ADMIN: frozenset({Permission.MANAGE_STAFF, Permission.VIEW_AUDIT}),
    Role.CONVENER_STAFF: frozenset(
        {Permission.VIEW_COALITION_AGGREGATES, Permission.VIEW_INCIDENTS}
    ),
    Role.TRAINER: frozenset(),
    Role.EVALUATOR: frozenset(),
}
