"""Enrollment.referral_id (a plain UUID, from before the referrals app) becomes a
foreign key to referrals.Referral: first the field is renamed and any id that names no
referral is forgotten; 0003 then adds the constraint. Two migrations, so that on
PostgreSQL the update and the ALTER TABLE run in separate transactions."""

from django.db import migrations


def forget_unknown_referrals(apps, schema_editor):
    Enrollment = apps.get_model("programs", "Enrollment")
    Referral = apps.get_model("referrals", "Referral")
    Enrollment.objects.filter(referral__isnull=False).exclude(
        referral__in=Referral.objects.values("pk")
    ).update(referral=None)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0001_initial"),
        ("referrals", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("enrollment", "referral_id", "referral"),
        migrations.RunPython(forget_unknown_referrals, migrations.RunPython.noop),
    ]
