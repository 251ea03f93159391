# The evidence now lives in ObjectionEvidence (0004, moved by 0005).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('publicity', '0005_objection_evidence_moved'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='objection',
            name='evidence',
        ),
        migrations.RemoveField(
            model_name='objection',
            name='evidence_original_name',
        ),
        migrations.RemoveField(
            model_name='objection',
            name='evidence_pages',
        ),
        migrations.RemoveField(
            model_name='objection',
            name='evidence_sha256',
        ),
        migrations.RemoveField(
            model_name='objection',
            name='evidence_size',
        ),
        migrations.RemoveField(
            model_name='objection',
            name='evidence_stored_name',
        ),
    ]
