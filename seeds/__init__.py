"""The five seed articles: crosswire's default library and its first acceptance test."""

from importlib.resources import files
from pathlib import Path


def seed_paths() -> list[Path]:
    """Paths of the bundled seed articles, sorted so the library fills in a stable order."""
    folder = files(__name__)
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".txt"))
