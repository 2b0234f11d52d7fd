"""A step PeaceHub writes itself is stored as a code, read in each reader's language
(it was stored as text, in the language of whoever revoked the consent); each first
appointment step keeps the date it set, so that a correction leaves a history."""

from django.db import migrations, models

# The words referrals_close_for_revoked_consent stored before, in each language of the
# site as they were then.
CONSENT_WITHDRAWN_TEXTS = (
    "The person's consent to share was withdrawn.",
    "Se retiró el consentimiento de la persona para compartir.",
)


def to_codes(apps, schema_editor):
    ReferralEvent = apps.get_model("referrals", "ReferralEvent")
    ReferralEvent.objects.filter(status="closed", note__in=CONSENT_WITHDRAWN_TEXTS).update(
        code="consent_withdrawn", note=""
    )
    # Until now a referral had one first appointment step, and kept its date.
    for event in ReferralEvent.objects.filter(
        status="first_appointment", appointment_at__isnull=True
    ).select_related("referral"):
        event.appointment_at = event.referral.first_appointment_at
        event.save(update_fields=["appointment_at"])


def to_texts(apps, schema_editor):
    ReferralEvent = apps.get_model("referrals", "ReferralEvent")
    ReferralEvent.objects.filter(code="consent_withdrawn", note="").update(
        note=CONSENT_WITHDRAWN_TEXTS[0]
    )


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="referralevent",
            name="code",
            field=models.CharField(
                blank=True,
                choices=[
                    ("consent_withdrawn", "The person's consent to share was withdrawn."),
                    ("appointment_corrected", "The first appointment was corrected."),
                ],
                db_default="",
                default="",
                max_length=30,
            ),
        ),
        migrations.AddField(
            model_name="referralevent",
            name="appointment_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(to_codes, to_texts),
    ]
