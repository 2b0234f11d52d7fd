"""Retention (DESIGN rule 7): what PeaceHub no longer needs goes. Run daily.

Only records whose use has ended by their nature are purged here: alerts past
NOTIFICATION_RETENTION, expired sessions, and sign-in failures past the lock-out window.
People's records, notes, referrals and the audit log are kept: how long is the
coalition's policy to set, not a default to guess."""

from django.conf import settings
from django.core.management.base import BaseCommand

from peacehub.accounts.services import login_failures_purge, sessions_purge_expired
from peacehub.notifications.services import notifications_purge


class Command(BaseCommand):
    help = "Purge alerts past their retention, expired sessions and old sign-in failures."

    def handle(self, *args, **options):
        alerts = notifications_purge()
        sessions = sessions_purge_expired()
        failures = login_failures_purge()
        self.stdout.write(
            f"Purged {alerts} alerts older than {settings.NOTIFICATION_RETENTION.days} days, "
            f"{sessions} expired sessions and {failures} old sign-in failures."
        )
