"""Load the book (or any folder of Markdown) into passages; safe to run on every start."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from chatbot.ingest import book_ingest
from chatbot.search import search_embedder


class Command(BaseCommand):
    help = "Split, embed and store the Markdown files under PATH; unchanged files are skipped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", type=Path, help="default: BOOK_DIR")
        parser.add_argument(
            "--prune", action="store_true", help="remove passages of files no longer under PATH"
        )

    def handle(self, *args, path: Path | None, prune: bool, **options) -> None:
        root = (path or Path(settings.BOOK_DIR)).resolve()
        if not root.exists():
            raise CommandError(f"{root} does not exist")
        if prune and root.is_file():
            # Every other ingested file would count as gone.
            raise CommandError("--prune needs a folder: with one file it would remove all others")
        report = book_ingest(
            root=root,
            embedder=search_embedder(),
            prune=prune,
            progress=lambda files: tqdm(
                files, desc="ingest", unit="file", file=self.stderr._out, disable=None
            ),
        )
        self.stdout.write(
            f"{len(report.added)} added, {len(report.replaced)} replaced, "
            f"{len(report.unchanged)} unchanged, {len(report.removed)} removed "
            f"({report.passages} passages written)"
        )
