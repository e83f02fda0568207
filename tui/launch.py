"""`crosswire` with no command: open the library, start the background work, run the reader."""

from __future__ import annotations

import sys
from pathlib import Path

from .app import CrosswireApp
from .backend import Backend
from .extraction import cli_command


def run_reader(library_dir: Path, paths: list[str]) -> int:
    """Open the library (filling it with the seeds when new), start entity extraction in a
    subprocess, and run the reader until the user quits."""
    backend = Backend(Path(library_dir))
    try:
        library = backend.wait_open()
        extract: list[str] | None = None
        label = "extracting entities…"
        if paths:
            extract = cli_command(library.directory, "add", "--quiet", *paths)
            label = "adding articles and extracting entities…"
        else:
            if backend.needs_seeds():
                backend.add_seeds()
            # Also resumes an extraction the user cut short by quitting the reader.
            if backend.entities_pending():
                extract = cli_command(library.directory, "annotate", "--quiet")
        app = CrosswireApp(backend, extract=extract, extract_label=label)
        app.run()
        if app.interrupted:
            again = "`crosswire PATH…` again" if paths else "the reader again"
            print(
                f"crosswire: stopped {app.interrupted.rstrip('…')} at quit; what was stored is "
                f"kept — run {again} to finish",
                file=sys.stderr,
            )
        return app.return_code or 0
    finally:
        backend.close()
