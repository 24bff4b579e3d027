"""Load the two shipped audit frameworks as data: "EHC plan quality" by section of the SEND
Code of Practice (9.62, 9.69) and Plymouth's "Ten Wishes". Their definitions, sources and
thresholds are in `lapis.quality.frameworks`; a later version is a new entry loaded by a later
migration beside these, never an edit of them."""

from django.db import migrations

from lapis.quality import frameworks


def load(apps, schema_editor):
    frameworks.load(apps.get_model("quality", "Framework"), apps.get_model("quality", "Section"),
                    apps.get_model("quality", "Criterion"))


def unload(apps, schema_editor):
    frameworks.unload(apps.get_model("quality", "Framework"))


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
