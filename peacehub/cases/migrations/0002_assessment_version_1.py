from django.db import migrations

from peacehub.cases.assessment import ASSESSMENT_NAME, VERSION_1


def publish_version_1(apps, schema_editor):
    template = apps.get_model("cases", "AssessmentTemplate")
    template.objects.get_or_create(
        name=ASSESSMENT_NAME,
        version=1,
        defaults={"domains": [{**d, "key": str(d["key"])} for d in VERSION_1], "is_current": True},
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(publish_version_1, migrations.RunPython.noop)]
