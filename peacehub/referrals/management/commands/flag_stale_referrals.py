from django.core.management.base import BaseCommand

from peacehub.referrals.services import referrals_flag_stale


class Command(BaseCommand):
    help = "Alert both sides of every open referral without news for 14 days (run daily)."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")

    def handle(self, *args, base_url, **options):
        count = referrals_flag_stale(base_url=base_url)
        self.stdout.write(f"{count} stale referrals flagged.")
