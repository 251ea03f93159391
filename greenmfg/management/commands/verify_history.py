"""manage.py verify_history: walk every history chain and name the first broken row of each.

Exit status 0 when every chain holds; otherwise the broken rows are listed and the command fails
(a CommandError, exit status 1)."""

from django.core.management.base import BaseCommand, CommandError

from core.history import broken_rows, history_models


class Command(BaseCommand):
    help = "Verify the hash chains of every append-only history table; name the first broken row."

    def handle(self, *args, **options):
        problems = 0
        for model in history_models():
            label = model._meta.label
            count = 0
            for row, reason in broken_rows(model):
                problems += 1
                chain = getattr(row, model.chain_attname())
                self.stdout.write(f"{label} id={row.pk} ({model.chain_field} {chain}): {reason}")
            count = model.objects.count()
            self.stdout.write(f"{label}: {count} rows checked", ending="\n")
        if problems:
            raise CommandError(f"{problems} broken history chain(s).")
        self.stdout.write(self.style.SUCCESS("Every history chain holds."))
