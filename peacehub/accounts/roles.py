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
    # Case management, referrals and programs
    VIEW_CASES = "view_cases"
    MANAGE_CASES = "manage_cases"
    SUPERVISE_CASES = "supervise_cases"
    SEND_REFERRALS = "send_referrals"
    RECEIVE_REFERRALS = "receive_referrals"
    USE_DIRECTORY = "use_directory"
    MANAGE_DIRECTORY = "manage_directory"
    WORKFORCE_PROGRAM = "workforce_program"
    LEGAL_PROGRAM = "legal_program"
    BEHAVIORAL_HEALTH_PROGRAM = "behavioral_health_program"
    IPV_PROGRAM = "ipv_program"
    VIEW_PROGRAM_PROGRESS = "view_program_progress"
    # Light in the Night, the Peace Academy
    MANAGE_EVENTS = "manage_events"
    VIEW_SUMMER_CHECK = "view_summer_check"
    MANAGE_ACADEMY = "manage_academy"


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

# Case management and the programs that receive referrals.
_CASE_WORK = frozenset(
    {
        Permission.VIEW_CASES,
        Permission.MANAGE_CASES,
        Permission.SEND_REFERRALS,
        Permission.RECEIVE_REFERRALS,
        Permission.VIEW_PROGRAM_PROGRESS,
    }
)
_PROGRAM_STAFF = frozenset({Permission.RECEIVE_REFERRALS, Permission.VIEW_PROGRAM_PROGRESS})
# Every staff role of a partner organization may look up services and host events.
_STAFF = frozenset({Permission.USE_DIRECTORY})
_HOSTS = frozenset({Permission.MANAGE_EVENTS})

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OUTREACH_WORKER: _CVI_CORE
    | _RESPONDERS
    | _STAFF
    | _HOSTS
    | {Permission.MANAGE_MEDIATIONS},
    Role.CASE_MANAGER: _CVI_CORE
    | _CASE_WORK
    | _STAFF
    | _HOSTS
    | {Permission.RECEIVE_INTRODUCTIONS},
    Role.VICTIM_ADVOCATE: _CVI_CORE | _RESPONDERS | _CASE_WORK | _STAFF | _HOSTS,
    Role.BEHAVIORAL_HEALTH_CLINICIAN: _DIRECT_SERVICE
    | _PROGRAM_STAFF
    | _STAFF
    | {Permission.BEHAVIORAL_HEALTH_PROGRAM},
    Role.WORKFORCE_STAFF: _DIRECT_SERVICE
    | _PROGRAM_STAFF
    | _STAFF
    | {Permission.WORKFORCE_PROGRAM},
    Role.LEGAL_STAFF: _DIRECT_SERVICE | _PROGRAM_STAFF | _STAFF | {Permission.LEGAL_PROGRAM},
    Role.IPV_STAFF: _DIRECT_SERVICE | _PROGRAM_STAFF | _STAFF | {Permission.IPV_PROGRAM},
    Role.SUPERVISOR: _CVI_CORE
    | _RESPONDERS
    | _CASE_WORK
    | _STAFF
    | _HOSTS
    | {
        Permission.EXPORT_PEOPLE,
        Permission.MANAGE_MEDIATIONS,
        Permission.RECEIVE_INTRODUCTIONS,
        Permission.SUPERVISE_OUTREACH,
        Permission.SUPERVISE_CASES,
        Permission.VIEW_SUMMER_CHECK,
    },
    Role.ORGANIZATION_ADMIN: frozenset(
        {
            Permission.MANAGE_STAFF,
            Permission.VIEW_AUDIT,
            Permission.USE_DIRECTORY,
            Permission.MANAGE_DIRECTORY,
            Permission.MANAGE_EVENTS,
            Permission.VIEW_SUMMER_CHECK,
        }
    ),
    Role.CONVENER_STAFF: frozenset(
        {
            Permission.VIEW_COALITION_AGGREGATES,
            Permission.VIEW_INCIDENTS,
            Permission.USE_DIRECTORY,
            Permission.MANAGE_DIRECTORY,
            Permission.VIEW_SUMMER_CHECK,
        }
    ),
    Role.TRAINER: frozenset({Permission.MANAGE_ACADEMY}),
    Role.EVALUATOR: frozenset(),
}
