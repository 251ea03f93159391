from django.core.management.base import BaseCommand

from applications.diagram import MACHINES, readme_path, readme_with_diagram, state_diagram_mermaid


class Command(BaseCommand):
    help = "Print the state machines as Mermaid diagrams; --write updates README.md."

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="replace the diagram in README.md")

    def handle(self, *args, write=False, **options):
        if not write:
            self.stdout.write("\n\n".join(state_diagram_mermaid(m) for m in MACHINES))
            return
        path = readme_path()
        path.write_text(readme_with_diagram(path.read_text(encoding="utf-8"), MACHINES), encoding="utf-8")
        self.stdout.write(f"updated {path}")
