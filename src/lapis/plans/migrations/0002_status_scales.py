"""Ship the three status scales of the source documents (Hull BRAG, Hull 2020 RAG, plain RAG)."""

from django.db import migrations


def load_scales(apps, schema_editor):
    from lapis.plans.scales import load

    load(apps.get_model("plans", "StatusScale"), apps.get_model("plans", "Status"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(load_scales, migrations.RunPython.noop)]
