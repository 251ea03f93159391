from django.core.management.base import BaseCommand

from greenmfg.demo import PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the 2025 batch and demo accounts and applications (for `make run`; idempotent)."

    def handle(self, *args, **options):
        accounts = load_demo()
        self.stdout.write("")
        self.stdout.write(f"演示账号 / demo accounts (密码 / password: {PASSWORD})")
        for username, what in accounts:
            self.stdout.write(f"  {username:<16} {what}")
        self.stdout.write("")
