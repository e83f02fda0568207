"""Entity extraction (or a whole `add`) in a subprocess, so the reader never imports spaCy."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from .safe import one_line


class Extraction:
    """The `crosswire … annotate` or `add` subprocess; its stderr goes to a temp file so a
    failure can be reported in one line."""

    def __init__(self, command: Sequence[str], label: str) -> None:
        self.label = label
        self.log: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            list(command), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.log
        )

    def returncode(self) -> int | None:
        return self.process.poll()

    def last_line(self) -> str:
        self.log.seek(0)
        lines = [line for line in self.log.read().decode("utf-8", "replace").splitlines() if line]
        return one_line(lines[-1]) if lines else ""

    def stop(self) -> None:
        """Leave the library consistent: the subprocess stores in batches and resumes later."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


def cli_command(directory: Path, *args: str) -> list[str]:
    """This interpreter running crosswire's CLI on one library (no console script needed)."""
    return [sys.executable, "-m", "crosswire.tui.cli", "--library", str(directory), *args]
