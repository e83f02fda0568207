"""Entity extraction (or a whole `add`) in a subprocess, so the reader never imports spaCy."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from .safe import one_line

MAX_SKIPS_SHOWN = 5  # in the toast; `crosswire add` again lists them all


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

    def lines(self) -> list[str]:
        """Every line the subprocess wrote to stderr, each made one safe line."""
        self.log.seek(0)
        text = self.log.read().decode("utf-8", "replace")
        return [one_line(line) for line in text.splitlines() if line.strip()]

    def outcome(self) -> tuple[str, str]:
        """What to tell the user when it ended, and how loudly ("information", "warning",
        "error"): an `add` that skipped inputs names each with its reason (it exits 1 for
        that, having added the rest), not just how many."""
        code = self.returncode()
        if code == 0:
            return "entities are ready", "information"
        lines = self.lines()
        skips = [line.removeprefix("skipped ") for line in lines if line.startswith("skipped ")]
        if code == 1 and skips:
            summary = next((line for line in lines if line.startswith("added ")), "")
            listed = "\n".join(skips[:MAX_SKIPS_SHOWN])
            if len(skips) > MAX_SKIPS_SHOWN:
                listed += f"\n… and {len(skips) - MAX_SKIPS_SHOWN} more"
            head = f"{summary}; skipped:" if summary else "skipped:"
            return f"{head}\n{listed}", "warning"
        reason = lines[-1] if lines else "no message"
        return f"background work ended with status {code}: {reason}", "error"

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
