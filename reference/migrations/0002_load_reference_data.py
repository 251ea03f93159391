"""Load the cities, counties and manufacturing divisions from fixtures/*.csv."""

from django.db import migrations

from reference.loader import load


def forward(apps, schema_editor):
    load(apps.get_model("reference", "City"), apps.get_model("reference", "County"),
         apps.get_model("reference", "IndustryDivision"))


def backward(apps, schema_editor):
    apps.get_model("reference", "County").objects.all().delete()
    apps.get_model("reference", "City").objects.all().delete()
    apps.get_model("reference", "IndustryDivision").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
