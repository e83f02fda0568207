"""`sources.toml`: what a folder's own files cannot say about themselves.

A plain-text file copied off a web page keeps its words but loses its outlet, headline, date
and address. A folder may carry a sidecar naming them, file by file:

    refs = "name"          # optional: refs are the file names, not paths (a folder that moves)

    [files."001_story.txt"]
    outlet = "Rudaw"
    title = "Iraqi PM survives drone attack"
    date = "2021-11-07"
    url = "https://…"

A field that is "unknown" (or left out) is not known: the reader's own guess stays (the file
name as the source, the first line as the title) rather than anything invented. `add` reads
the sidecar of every folder it reads a file from, the user's folders as the bundled seeds. A
bad sidecar is one skip naming it and why; the files are still read, without it.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from crosswire.index.model import Incoming, Skipped

from .clean import label, normalise_date

SIDECAR = "sources.toml"
UNKNOWN = "unknown"
FIELDS = ("outlet", "title", "date", "url")
MAX_SIDECAR_BYTES = 4 * 1024 * 1024  # a description of files, never an article itself


@dataclass(frozen=True)
class Described:
    """What a sidecar says of one file; "" is not known."""

    outlet: str = ""
    title: str = ""
    published: str = ""
    url: str = ""


@dataclass(frozen=True)
class Sidecar:
    """One folder's sidecar: file name -> what it says, and whether refs are file names."""

    files: dict[str, Described] = field(default_factory=dict)
    refs_by_name: bool = False


NO_SIDECAR = Sidecar()


class Sidecars:
    """The sidecars of the folders one `add` reads from, each loaded once; a bad one is
    reported once (the first time a file of its folder is read) and then ignored."""

    def __init__(self) -> None:
        self._loaded: dict[Path, Sidecar] = {}

    def of(self, folder: Path) -> tuple[Sidecar, Skipped | None]:
        """The sidecar of folder (NO_SIDECAR when it has none) and, the first time only, the
        skip for one that cannot be read."""
        key = folder.resolve()
        if key in self._loaded:
            return self._loaded[key], None
        sidecar, problem = load(folder / SIDECAR)
        self._loaded[key] = sidecar
        return sidecar, problem

    def apply(self, path: Path, where: str, article: Incoming) -> tuple[Incoming, Skipped | None]:
        """article as the sidecar of path's folder describes it (unchanged without one)."""
        sidecar, problem = self.of(path.parent)
        return describe(article, sidecar, path.name, where), problem


def load(path: Path) -> tuple[Sidecar, Skipped | None]:
    """Read one sidecar; (NO_SIDECAR, None) when there is none, (NO_SIDECAR, skip) when it
    is bad, with the skip naming the file and the first fault."""
    try:
        if not path.is_file():
            return NO_SIDECAR, None
        if path.stat().st_size > MAX_SIDECAR_BYTES:
            return NO_SIDECAR, _bad(path, f"over {MAX_SIDECAR_BYTES // (1024 * 1024)} MB")
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return NO_SIDECAR, _bad(path, "not valid UTF-8")
    except tomllib.TOMLDecodeError as exc:
        return NO_SIDECAR, _bad(path, f"not valid TOML ({exc})")
    except OSError as exc:
        return NO_SIDECAR, _bad(path, f"cannot read ({exc.strerror or exc})")
    try:
        return parse(data), None
    except ValueError as exc:
        return NO_SIDECAR, _bad(path, str(exc))


def _bad(path: Path, why: str) -> Skipped:
    return Skipped(str(path), f"bad sidecar, {why}; the folder's files are read without it")


def parse(data: dict[str, object]) -> Sidecar:
    """A sidecar from its TOML table; ValueError naming the first fault."""
    unknown = set(data) - {"refs", "files"}
    if unknown:
        raise ValueError(f"unknown key {sorted(unknown)[0]!r} (keys: refs, files)")
    refs = data.get("refs", "path")
    if refs not in ("name", "path"):
        raise ValueError(f'refs is {refs!r}; it is "name" or "path"')
    files = data.get("files", {})
    if not isinstance(files, dict):
        raise ValueError("files is not a table of file names")
    described = {name: _entry(name, entry) for name, entry in files.items()}
    return Sidecar(files=described, refs_by_name=refs == "name")


def _entry(name: str, entry: object) -> Described:
    if not isinstance(entry, dict):
        raise ValueError(f"files.{name!r} is not a table")
    values: dict[str, str] = {}
    for key, value in entry.items():
        if key not in FIELDS:
            raise ValueError(f"files.{name!r}: unknown field {key!r} (fields: {', '.join(FIELDS)})")
        if not isinstance(value, str):
            raise ValueError(f"files.{name!r}.{key} is not a string")
        values[key] = "" if value.strip().lower() == UNKNOWN else label(value)
    date = values.get("date", "")
    published = normalise_date(date) if date else ""
    if date and not published:
        raise ValueError(f"files.{name!r}.date {date!r} is not a date (write 2021-11-07)")
    return Described(
        outlet=values.get("outlet", ""),
        title=values.get("title", ""),
        published=published or "",
        url=values.get("url", ""),
    )


def describe(article: Incoming, sidecar: Sidecar, name: str, where: str) -> Incoming:
    """article with what the sidecar knows of file `name` in place of the reader's guesses;
    its ref is the file name when the sidecar says refs are names (and the ref was the path)."""
    if sidecar is NO_SIDECAR:
        return article
    known = sidecar.files.get(name, Described())
    changes: dict[str, str] = {}
    if sidecar.refs_by_name and article.ref == where:
        changes["ref"] = name
    for attr, value in (
        ("source", known.outlet),
        ("title", known.title),
        ("published", known.published),
        ("url", known.url),
    ):
        if value:
            changes[attr] = value
    return dataclasses.replace(article, **changes) if changes else article
