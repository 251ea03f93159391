from django.core.management.base import BaseCommand

from quotas.services import batch_load_file


class Command(BaseCommand):
    help = "Create or update a batch and its quotas from a JSON data file (e.g. fixtures/batch_2025.json)."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        batch = batch_load_file(path)
        total = sum(batch.quotas.values_list("factory_quota", flat=True))
        self.stdout.write(
            f"{batch.year}: {batch.notice_number}, {batch.quotas.count()} cities, {total} factory slots"
        )
