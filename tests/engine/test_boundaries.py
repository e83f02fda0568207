"""The engine is reachable without the TUI, and the reader never pays for spaCy."""

import subprocess
import sys


def modules_after(statement: str) -> set[str]:
    code = f"{statement}\nimport sys\nprint('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in out.stdout.split()}


def test_index_never_imports_textual_or_spacy():
    loaded = modules_after("import crosswire.index.library")
    assert "textual" not in loaded
    assert "spacy" not in loaded


def test_cli_module_does_not_import_spacy_or_textual_up_front():
    loaded = modules_after("import crosswire.tui.cli")
    assert "spacy" not in loaded
    assert "textual" not in loaded


def full_modules_after(statement: str) -> set[str]:
    code = f"{statement}\nimport sys\nprint('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_the_engine_package_imports_neither_the_reader_nor_textual_nor_rich():
    """The import-linter contract in pyproject, checked on a live import of everything the
    package exports."""
    loaded = full_modules_after("from crosswire.index import *")
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "rich", "spacy")}
    assert not {m for m in loaded if m == "crosswire.tui" or m.startswith("crosswire.tui.")}


def test_the_package_exports_the_library_its_records_and_its_errors():
    import crosswire.index as engine

    assert {"Library", "Article", "SearchResults", "IndexStatus", "CrosswireError"} <= set(
        engine.__all__
    )
    assert {"DiskFull", "ReadOnly", "QueryError"} <= set(engine.__all__)
    for name in (n for n in engine.__all__ if not n.isupper()):  # ENTITY_KINDS is a tuple
        assert getattr(engine, name).__module__.startswith("crosswire.index"), name
        assert getattr(engine, name).__doc__, f"{name} has no docstring"


def test_every_public_library_method_says_what_it_does():
    from crosswire.index import Library

    public = [n for n in vars(Library) if not n.startswith("_") and callable(getattr(Library, n))]
    assert {"browse", "pending_entities", "index_status", "catch_up", "search"} <= set(public)
    assert [n for n in public if not getattr(Library, n).__doc__] == []


def test_a_cli_search_imports_only_what_a_search_needs(tmp_path):
    """Every CLI command pays for its imports before it answers (the goal is 0.5 s for a whole
    `crosswire search` at 100k articles): a search loads neither the writer's, the grouper's
    nor the progress bar's modules, nor what Whoosh imports and never uses (asyncio through the
    cached_property backport, urllib.request and the email package through whoosh.compat)."""
    from crosswire.index.library import Library
    from crosswire.tui.cli.engine import seed_paths

    with Library(tmp_path / "library") as library:
        library.add(seed_paths(), entities=False)
    code = (
        "import sys\n"
        "from crosswire.tui import cli\n"
        f"assert cli.main(['--library', {str(tmp_path / 'library')!r}, 'search', 'Iraq']) == 0\n"
        "print('\\n'.join(sys.modules), file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(out.stderr.split())
    assert "whoosh.reading" in loaded and "Iraq" in out.stdout, "it did search"
    heavy = {
        "asyncio",
        "urllib.request",
        "email",
        "cached_property",
        "whoosh.lang.morph_en",
        "importlib.metadata",
        "rich.progress",
        "tomllib",
        "crosswire.index.stories",
        "crosswire.index.search.fast_add",
        "spacy",
        "textual",
    }
    assert heavy & loaded == set()
    # The stand-ins Whoosh was imported with are gone: the real modules import as ever.
    again = (
        "import sys, urllib.request, cached_property, whoosh.lang.morph_en as m\n"
        "print(urllib.request.urlopen, m.variations('run'))"
    )
    subprocess.run([sys.executable, "-c", f"import crosswire.index.search\n{again}"], check=True)
