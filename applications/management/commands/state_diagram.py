from django.core.management.base import BaseCommand

from applications.diagram import readme_path, readme_with_diagram, state_diagram_mermaid


class Command(BaseCommand):
    help = "Print the application state machine as a Mermaid diagram; --write updates README.md."

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="replace the diagram in README.md")

    def handle(self, *args, write=False, **options):
        if not write:
            self.stdout.write(state_diagram_mermaid())
            return
        path = readme_path()
        path.write_text(readme_with_diagram(path.read_text(encoding="utf-8")), encoding="utf-8")
        self.stdout.write(f"updated {path}")
