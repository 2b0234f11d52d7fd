"""Search words for dotted acronyms ("H.O.P.E." -> "hope"), which the word index left
out: their letters alone are too short to be indexed (see services.text_words)."""

import re

from django.db import migrations

# Frozen copy of services._DOTTED_ACRONYM, as this migration first ran.
DOTTED_ACRONYM = re.compile(r"(?<![a-z0-9])[a-z](?:\.[a-z])+\.?(?![a-z0-9])")
WORD_LENGTH = 40


def add_acronym_words(apps, schema_editor):
    Service = apps.get_model("services", "Service")
    ServiceWord = apps.get_model("services", "ServiceWord")
    rows = []
    for service in Service.objects.select_related("organization").iterator():
        texts = (
            service.name,
            service.alternate_name,
            service.description,
            service.organization.name,
            service.organization.alternate_name,
        )
        words = {
            m.group().replace(".", "")[:WORD_LENGTH]
            for text in texts
            if "." in text
            for m in DOTTED_ACRONYM.finditer(text.lower())
        }
        rows += [ServiceWord(service_id=service.pk, word=w) for w in sorted(words)]
    ServiceWord.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("services", "0001_initial")]

    operations = [migrations.RunPython(add_acronym_words, migrations.RunPython.noop)]
