"""Issue 12's `contacts` (text, one per line, for the front page) and issue 14's `contact_name` /
`contact_phone` (the joint notice's line) become one list of {department, name, phone}. The
notice's contact goes first (the notice prints the first); lines that are not "… 姓名 电话" are
kept whole as the department, so nothing typed is lost."""

import re

from django.db import migrations, models

PHONE = re.compile(r"^\+?[0-9][0-9\-()（）转]{4,24}$")


def _parse(line):
    words = line.split()
    if len(words) >= 2 and PHONE.match(words[-1]):
        return {"department": " ".join(words[:-2]), "name": words[-2], "phone": words[-1]}
    return {"department": line.strip(), "name": "", "phone": ""}


def forward(apps, schema_editor):
    Batch = apps.get_model("quotas", "Batch")
    for batch in Batch.objects.all():
        contacts = [_parse(line) for line in batch.contacts.splitlines() if line.strip()]
        name, phone = batch.contact_name.strip(), batch.contact_phone.strip()
        if name or phone:
            same = [c for c in contacts if c["name"] == name and (not phone or c["phone"] == phone)]
            notice = same[0] if same else {"department": "", "name": name, "phone": phone}
            contacts = [notice, *[c for c in contacts if c is not notice]]
        batch.contact_list = contacts
        batch.save(update_fields=["contact_list"])


def backward(apps, schema_editor):
    Batch = apps.get_model("quotas", "Batch")
    for batch in Batch.objects.all():
        contacts = batch.contact_list or []
        batch.contacts = "\n".join(
            " ".join(p for p in (c.get("department"), c.get("name"), c.get("phone")) if p) for c in contacts
        )
        first = contacts[0] if contacts else {}
        batch.contact_name, batch.contact_phone = first.get("name", ""), first.get("phone", "")
        batch.save(update_fields=["contacts", "contact_name", "contact_phone"])


class Migration(migrations.Migration):
    dependencies = [
        ("quotas", "0008_batch_removal_bar_years"),
    ]

    operations = [
        migrations.AddField(
            model_name="batch",
            name="contact_list",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(forward, backward),
        migrations.RemoveField(model_name="batch", name="contacts"),
        migrations.RemoveField(model_name="batch", name="contact_name"),
        migrations.RemoveField(model_name="batch", name="contact_phone"),
        migrations.RenameField(model_name="batch", old_name="contact_list", new_name="contacts"),
        migrations.AlterField(
            model_name="batch",
            name="contacts",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="每行一位：处室或单位、姓名、电话，以空格分隔。第一行印在联合公告上。",
                verbose_name="联系人及电话",
            ),
        ),
    ]
