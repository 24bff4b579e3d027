"""Load the Ofsted/CQC area SEND inspection framework (2023) as data.

Areas 1-11 are the evaluation areas as the Hull SEF 2023-24 heads them (seed 000); area 12 is
the safeguarding area Plymouth's SEF adds as its section 20 (seed 004). A later framework is
loaded by a later migration as a new `Framework` row beside this one, never by editing it.
"""

import datetime as dt

from django.db import migrations

NAME = "Ofsted/CQC area SEND inspection framework"
VERSION = "2023"
VALID_FROM = dt.date(2023, 1, 1)

AREAS = [
    (1, "Children and young people's needs are identified accurately and assessed in a timely "
        "and effective way", "Hull SEF area 1; Plymouth SEF section 9."),
    (2, "Children and young people and their families participate in decision-making about "
        "their individual plans and support", "Hull SEF area 2; Plymouth SEF section 10."),
    (3, "Children and young people and their families receive the right help at the right time",
     "Hull SEF area 3; Plymouth SEF section 11."),
    (4, "Children and young people are well prepared for their next steps, and achieve strong "
        "outcomes", "Hull SEF area 4, with its outcomes table; Plymouth SEF section 12."),
    (5, "Children and young people are valued, visible and included in their communities",
     "Hull SEF area 5; Plymouth SEF section 13."),
    (6, "Leaders are ambitious for children and young people with special educational needs "
        "and/or disabilities (SEND)", "Hull SEF area 6; Plymouth SEF section 14."),
    (7, "Leaders actively engage and work with children and young people and their families",
     "Hull SEF area 7; Plymouth SEF section 15."),
    (8, "Leaders have an accurate, shared understanding of the needs of children and young "
        "people in their local area", "Hull SEF area 8; Plymouth SEF section 16."),
    (9, "Leaders commission services and provision to meet the needs and aspirations of "
        "children and young people, including commissioning arrangements for children and "
        "young people in alternative provision", "Hull SEF area 9; Plymouth SEF section 17."),
    (10, "Leaders evaluate services and make improvements",
     "Hull SEF area 10; Plymouth SEF section 18."),
    (11, "Leaders create an environment for effective practice and multi-agency working to "
         "flourish", "Hull SEF area 11; Plymouth SEF section 19."),
    (12, "How the partnership helps and protects children and young people so that they are "
         "kept safe", "Safeguarding: Plymouth SEF section 20 (the Hull SEF has no such "
         "section)."),
]


def load(apps, schema_editor):
    Framework = apps.get_model("sef", "Framework")
    FrameworkArea = apps.get_model("sef", "FrameworkArea")
    framework, _ = Framework.objects.get_or_create(
        name=NAME, version=VERSION, defaults={"valid_from": VALID_FROM})
    for number, title, guidance in AREAS:
        FrameworkArea.objects.update_or_create(
            framework=framework, number=number, defaults={"title": title,
                                                          "guidance": guidance})


def unload(apps, schema_editor):
    apps.get_model("sef", "Framework").objects.filter(name=NAME, version=VERSION).delete()


class Migration(migrations.Migration):
    dependencies = [("sef", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
