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
