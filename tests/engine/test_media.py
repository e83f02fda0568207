"""Resources and media: a full disk, read-only media, no permission, a bad --library path.

Real small filesystems are used where this process may mount them (root, as in CI): a 4 MB
tmpfs filled to the brim, and a tmpfs remounted read-only. The same faults are also injected at
the sqlite/whoosh write boundary, which needs no privilege.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from crosswire.index import search
from crosswire.index.entities.record import Entities
from crosswire.index.library import Library
from crosswire.tui.cli import main

from ..conftest import ECB

ROOT = os.geteuid() == 0


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line(err: str, *words: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "Errno 17" not in err
    for word in words:
        assert word in lines[0], err


def record_ids(directory: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{directory / 'library.sqlite3'}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY seq")]
    finally:
        conn.close()


@contextlib.contextmanager
def tmpfs(size: str) -> Iterator[Path]:
    """A real small filesystem, or a skip saying why there can be none."""
    if not ROOT:
        pytest.skip("mounting a tmpfs needs root (CI runs as root)")
    where = Path(tempfile.mkdtemp(prefix="crosswire-tmpfs-"))
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True
    )
    if done.returncode:
        where.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)
        where.rmdir()


def fill(directory: Path) -> Path:
    """Write zeros until the filesystem has no room left."""
    filler = directory / "filler"
    with open(filler, "wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


# -- disk full ------------------------------------------------------------------------------------


def test_a_full_disk_is_one_line_keeps_the_record_and_reads_work(capsys, seeded):
    with tmpfs("4m") as mount:
        library = mount / "library"
        shutil.copytree(seeded, library)
        before = record_ids(library)
        fill(mount)
        code, _, err = run(capsys, "--library", str(library), "add", str(ECB / "articles.jsonl"))
        assert code == 1
        assert "disk full" in err and "Traceback" not in err
        assert record_ids(library) == before
        code, out, _ = run(capsys, "--library", str(library), "list", "--json")
        assert code == 0 and len(json.loads(out)) == len(before)
        code, out, _ = run(capsys, "--library", str(library), "search", "drone", "--json")
        assert code == 0 and json.loads(out)["hits"]
        code, out, _ = run(capsys, "--library", str(library), "entities", "--json")
        assert code == 0 and json.loads(out)
        (mount / "filler").unlink()
        code, _, err = run(capsys, "--library", str(library), "merge", "Iraq", "Iraqi")
        assert "disk full" not in err, "with room again, writes work"


def test_a_disk_that_fills_during_add_keeps_every_committed_batch(capsys, tmp_path, monkeypatch):
    """Injected ENOSPC at the Whoosh boundary: the record keeps the stored articles, the line
    says disk full, and the next command with room indexes them without doubling any."""
    library = tmp_path / "library"
    Library(library).close()
    feed = tmp_path / "feed.jsonl"
    with open(ECB / "articles.jsonl", encoding="utf-8") as f:
        feed.write_text("".join(next(f) for _ in range(260)), encoding="utf-8")

    def no_room(self: object, docs: Iterator[object], **kwargs: object) -> int:
        for n, _ in enumerate(docs):  # the record stores batches as the index consumes them
            if n == 100:
                raise OSError(errno.ENOSPC, "No space left on device")
        return 0

    monkeypatch.setattr(search.SearchIndex, "write", no_room)
    code, _, err = run(capsys, "--library", str(library), "add", "--no-entities", str(feed))
    assert code == 1
    one_line(err, "disk full", str(library))
    stored = record_ids(library)
    assert stored, "the batches committed before the index write are kept"
    monkeypatch.undo()
    code, out, err = run(capsys, "--library", str(library), "list", "--json")
    assert code == 0 and [r["id"] for r in json.loads(out)] == stored
    code, out, _ = run(capsys, "--library", str(library), "add", "--no-entities", str(feed))
    after = record_ids(library)
    assert after[: len(stored)] == stored and len(after) > len(stored), "the rest is added"
    assert len(set(after)) == len(after), "nothing stored twice"
    code, out, _ = run(capsys, "--library", str(library), "search", "the", "--json", "--limit", "1")
    assert code == 0 and json.loads(out)["hits"]


def test_a_disk_full_during_annotate_is_one_line(capsys, seeded, monkeypatch):
    """Variant: the entity phase's SQLite write finds no room."""
    conn = sqlite3.connect(seeded / "library.sqlite3")
    with conn:
        conn.execute("DELETE FROM annotated")  # the entity phase has work to do again
    conn.close()

    def no_room(self: Entities, batch: object, fresh: object) -> int:
        raise sqlite3.OperationalError("database or disk is full")

    # store() is the entity phase's write, whether NER ran in this process or in workers.
    monkeypatch.setattr(Entities, "store", no_room)
    before = record_ids(seeded)
    code, _, err = run(capsys, "--library", str(seeded), "annotate", "--quiet")
    assert code == 1
    one_line(err, "disk full")
    assert record_ids(seeded) == before


# -- read-only media and permissions ------------------------------------------------------------


def check_reads_work_and_writes_say_read_only(capsys, library: Path) -> None:
    for argv in (("list", "--json"), ("search", "drone", "--json"), ("entities", "--json")):
        code, out, err = run(capsys, "--library", str(library), *argv)
        assert code == 0, err
        found = json.loads(out)
        assert found["hits"] if isinstance(found, dict) else found, argv
        assert "damaged" not in err
    code, out, _ = run(capsys, "--library", str(library), "list", "--json")
    first = json.loads(out)[0]["id"]
    code, out, err = run(capsys, "--library", str(library), "show", first)
    assert code == 0 and "damaged" not in err
    for argv in (
        ("add", str(ECB / "articles.jsonl")),
        ("merge", "Iraq", "Iran"),
        ("split", "Iraq", "Iraqi"),
        ("resolve",),
        ("rebuild",),
        ("annotate",),
    ):
        code, _, err = run(capsys, "--library", str(library), *argv)
        assert code == 1, argv
        one_line(err, "read-only", str(library))
        assert "damaged" not in err and "move it aside" not in err


def test_a_library_on_a_read_only_mount_reads_and_refuses_writes(capsys, seeded):
    with tmpfs("16m") as mount:
        library = mount / "library"
        shutil.copytree(seeded, library)
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        check_reads_work_and_writes_say_read_only(capsys, library)


async def test_the_reader_opens_a_read_only_library(seeded):
    from crosswire.tui.app import CrosswireApp
    from crosswire.tui.backend import Backend

    from ..reader.conftest import open_first_result, settle

    with tmpfs("16m") as mount:
        library = mount / "library"
        shutil.copytree(seeded, library)
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        backend = Backend(library)
        app = CrosswireApp(backend)
        try:
            async with app.run_test(size=(120, 40)) as pilot:
                await settle(app, pilot)
                assert len(app.reader.nav.results.hits) == 5
                await open_first_result(app, pilot)
                assert app.reader.nav.article is not None and app.reader.nav.article.text
                assert not app.worker_errors
        finally:
            backend.close()


@pytest.fixture
def deny(monkeypatch):
    """Take permissions away from paths. Root ignores permission bits (and the interpreter
    cannot be run as another user here: it lives under /root), so as root the answer the
    kernel would give an ordinary user is given by os.access instead; as a user, chmod."""
    denied: dict[Path, int] = {}
    modes: dict[Path, int] = {}
    real_access = os.access

    def access(path: object, mode: int, *args: object, **kwargs: object) -> bool:
        taken = denied.get(Path(str(path)))
        if taken is not None and mode & taken:
            return False
        return real_access(path, mode, *args, **kwargs)

    def take(path: Path, mode: int) -> None:
        if ROOT:
            denied[path] = mode
        else:
            modes[path] = path.stat().st_mode
            path.chmod(modes[path] & ~(mode * 0o100))

    if ROOT:
        monkeypatch.setattr(os, "access", access)
    yield take
    for path, mode in modes.items():
        path.chmod(mode)  # so the tmp dir can be cleaned up


def test_a_library_without_write_permission_reads_and_refuses_writes(capsys, seeded, deny):
    deny(seeded, os.W_OK)
    deny(seeded / "library.sqlite3", os.W_OK)
    check_reads_work_and_writes_say_read_only(capsys, seeded)


def test_a_library_directory_without_permission_says_so(capsys, seeded, deny):
    deny(seeded, os.R_OK | os.X_OK | os.W_OK)
    code, _, err = run(capsys, "--library", str(seeded), "list")
    assert code == 1
    one_line(err, str(seeded), "permission denied")
    assert "damaged" not in err


# -- a bad --library path -------------------------------------------------------------------------


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


@pytest.mark.parametrize(
    ("make", "what"),
    [
        (lambda p: (p.symlink_to(p.parent / "nowhere"), p)[1], "symlink"),
        (lambda p: (p.write_text("notes\n"), p)[1], "a file"),
        (lambda p: Path("/dev/null"), "a device"),
        (fifo, "a FIFO"),
    ],
    ids=["dangling-symlink", "plain-file", "dev-null", "fifo"],
)
def test_a_bad_library_path_says_what_is_wrong_with_it(capsys, tmp_path, make, what):
    path = make(tmp_path / "library")
    for argv in (("list",), ("add", str(ECB / "articles.jsonl"))):
        code, out, err = run(capsys, "--library", str(path), *argv)
        assert code == 1 and out == ""
        one_line(err, str(path), what)
