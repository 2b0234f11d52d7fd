import datetime

import django.utils.timezone
from django.db import migrations, models


def estimate_recorded_at(apps, schema_editor):
    """Changes recorded before this migration have no recording time: they get one in
    the order that best explains what was stored. By day; on one day, the change that
    made the agreement (its first, on the day it was made) first and a change to the
    agreement's current state last, as the agreement's state was set by the change
    recorded last."""
    Agreement = apps.get_model("outreach", "Agreement")
    AgreementStateChange = apps.get_model("outreach", "AgreementStateChange")
    base = django.utils.timezone.now() - datetime.timedelta(days=1)
    step = datetime.timedelta(microseconds=1)
    for agreement in Agreement.objects.only("pk", "state", "made_on").iterator():
        changes = list(
            AgreementStateChange.objects.filter(agreement_id=agreement.pk).only(
                "pk", "state", "changed_on"
            )
        )
        if not changes:
            continue
        last_day = max(c.changed_on for c in changes)
        # Every agreement is made holding.
        making = next(
            (c for c in changes if c.changed_on == agreement.made_on and c.state == "holding"),
            None,
        )

        def position(change):
            return (
                change.changed_on,
                change is not making,
                change.changed_on == last_day and change.state == agreement.state,
            )

        for n, change in enumerate(sorted(changes, key=position)):
            change.recorded_at = base + n * step
        AgreementStateChange.objects.bulk_update(changes, ["recorded_at"])


class Migration(migrations.Migration):

    dependencies = [
        ('outreach', '0004_contact_index_covers_worker'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='agreementstatechange',
            options={'ordering': ['-changed_on', '-recorded_at']},
        ),
        migrations.AddField(
            model_name='agreementstatechange',
            name='recorded_at',
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.RunPython(estimate_recorded_at, migrations.RunPython.noop),
    ]
